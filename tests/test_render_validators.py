"""Every rendered file, for every design and target, accepted by the target tool's own validator.

* Feilong: ``zvmsdk.sdkwsgi.schemas.guest`` (create, create_nic, nic_couple_uncouple) through
  Feilong's own ``zvmsdk.sdkwsgi.validation._SchemaValidator`` (pip ``zVMCloudConnector``).
* Ansible: ``ansible-inventory -i inventory.yml --list`` (pip ``ansible-core``).
* Xen: Xen's own xl.cfg parser ``libxlutil`` (``xlu_cfg_readdata``, ``xlu_disk_parse``; Debian
  ``libxenmisc4.17``), called through ctypes: it needs no hypervisor.
* libvirt: ``virt-xml-validate FILE domain`` (Debian ``libvirt-clients`` + ``libxml2-utils``).
* cloud-init: ``cloud-init schema --config-file user-data`` (Debian ``cloud-init``); the
  network-config v2 through cloud-init's own ``network_state.parse_net_config_data``.
* z/VM directory: :mod:`colonykit.render.zvm_check` (no public validator exists).

``make test`` installs all of them; a test skips only when its tool is missing, naming it.
Counts of validated files are printed (``-s``) for the closing note.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from colonykit import plan, render
from colonykit.render import zvm_check

EXAMPLE = "data/examples/scenario.yaml"
ZVM_DESIGNS = ["zvm-basevol-guestvol", "zvm-ro-root", "zvm-shared-usr", "dedicated"]
XEN_DESIGNS = ["xen-shared-root-image", "xen-nfs-root"]
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's cloud-init lives in the system Python


def _plan(design: str, hosts: int = 1) -> plan.ColonyPlan:
    s = plan.load_scenario(EXAMPLE)
    s.design.name, s.design.overrides = design, {}
    s.target.hosts = hosts
    s.target.memory_gib_per_host = None
    return plan.build_plan(s).plan


@pytest.fixture(scope="module")
def zvm_plans() -> list[plan.ColonyPlan]:
    return [_plan(d) for d in ZVM_DESIGNS] + [_plan("zvm-ro-root", hosts=2)]


@pytest.fixture(scope="module")
def xen_plans() -> list[plan.ColonyPlan]:
    return [_plan(d) for d in XEN_DESIGNS] + [_plan("xen-shared-root-image", hosts=3)]


def _write(files: dict[str, str], root: Path) -> list[Path]:
    out = []
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        out.append(p)
    return out


def _need(tool: str, package: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} not installed (Debian {package}; `make test` installs it)")
    return path


# --------------------------------------------------------------------------- Feilong
def test_feilong_bodies_pass_feilong_schemas(zvm_plans) -> None:
    schemas = pytest.importorskip(
        "zvmsdk.sdkwsgi.schemas.guest",
        reason="zvmsdk (pip zVMCloudConnector) not installed; `make test` installs it",
    )
    from zvmsdk.sdkwsgi.validation import _SchemaValidator

    # a plan whose NIC is not in the profile also gets NIC bodies
    nic_plan = zvm_plans[0].model_copy(deep=True)
    nic_plan.hosts[0].profiles[0].nics = []
    counts = {"create": 0, "create_nic": 0, "nic_couple_uncouple": 0}
    for p in [*zvm_plans, nic_plan]:
        for rel, text in render.render_feilong(p).items():
            body = json.loads(text)
            kind = (
                "nic_couple_uncouple"
                if rel.endswith(".couple.json")
                else ("create_nic" if ".nic-" in rel else "create")
            )
            _SchemaValidator(getattr(schemas, kind)).validate(body)  # raises on any violation
            counts[kind] += 1
            if kind == "create":
                g = body["guest"]
                disks = g["disk_list"]
                # the boot disk, when the guest owns it, comes first (Feilong IPLs disk_list[0])
                assert [d["is_boot_disk"] for d in disks].count(True) <= 1
                assert not any(d["is_boot_disk"] for d in disks[1:])
    print(f"\nfeilong: {counts} bodies validated with zvmsdk {_zvmsdk_version()}")
    assert (
        counts["create"] == 26 * 6 and counts["create_nic"] == counts["nic_couple_uncouple"] == 26
    )


def _zvmsdk_version() -> str:
    from importlib.metadata import version

    return version("zVMCloudConnector")


def test_feilong_old_cshare_is_what_feilong_refuses() -> None:
    """The schema really refuses what 0.1.0 wrote (so the test above can fail)."""
    schemas = pytest.importorskip(
        "zvmsdk.sdkwsgi.schemas.guest", reason="zvmsdk (pip zVMCloudConnector) not installed"
    )
    from zvmsdk.exception import ValidationError
    from zvmsdk.sdkwsgi.validation import _SchemaValidator

    with pytest.raises(ValidationError):
        _SchemaValidator(schemas.create).validate(
            {"guest": {"userid": "LNX00001", "vcpus": 1, "memory": 1024, "cshare": "RELATIVE 100"}}
        )


def test_feilong_dedicated_boot_disk_first() -> None:
    body = json.loads(render.render_feilong(_plan("dedicated"))["lpar1/LNX00001.json"])["guest"]
    assert body["disk_list"][0] == {
        "size": "3338",
        "format": "ext3",
        "is_boot_disk": True,
        "vdev": "0201",
        "disk_pool": "ECKD:POOL1",
    }
    assert body["ipl_from"] == "0201"


# --------------------------------------------------------------------------- Ansible
def test_ansible_inventory_parses(tmp_path, zvm_plans, xen_plans) -> None:
    tool = shutil.which("ansible-inventory") or str(
        Path(__import__("sys").executable).parent / "ansible-inventory"
    )
    if not Path(tool).exists():
        pytest.skip("ansible-inventory not installed (pip ansible-core; `make test` installs it)")
    n = 0
    for i, p in enumerate([*zvm_plans, *xen_plans]):
        path = _write(render.render_ansible(p), tmp_path / str(i))[0]
        res = subprocess.run(
            [tool, "-i", str(path), "--list"],
            capture_output=True,
            text=True,
            check=False,
            env={
                "ANSIBLE_INVENTORY_UNPARSED_FAILED": "True",
                "PATH": "/usr/bin:/bin",
                "HOME": str(tmp_path),
                "ANSIBLE_LOCAL_TEMP": str(tmp_path),
            },
        )
        assert res.returncode == 0, res.stderr
        out = json.loads(res.stdout)
        for host in p.hosts:
            group = render.ansible.group_name(host.id)
            assert sorted(out[group]["hosts"]) == sorted(g.name for g in host.guests)
            for g in host.guests:
                hv = out["_meta"]["hostvars"][g.name]
                assert hv["colony_vcpus"] == g.vcpus and hv["colony_memory_mib"] == g.memory_mib
                assert hv["ansible_host"] == g.network[0].ip.split("/")[0]
                assert hv["colony_plan"] == p.metadata.name  # group vars reach every host
                assert g.name in out[f"role_{render.ansible.group_name(g.tags['role'])}"]["hosts"]
        n += 1
    print(f"\nansible: {n} inventories validated with ansible-inventory")


# --------------------------------------------------------------------------- Xen (libxlutil)
class _Xlu:
    """Xen's own xl.cfg parser (libxlutil from Debian libxenmisc), through ctypes."""

    def __init__(self) -> None:
        name = ctypes.util.find_library("xlutil")
        light = ctypes.util.find_library("xenlight")
        if name is None or light is None:
            pytest.skip("libxlutil not installed (Debian libxenmisc4.17; `make test` installs it)")
        self.libc = ctypes.CDLL(None)
        self.libc.tmpfile.restype = ctypes.c_void_p
        self.light = ctypes.CDLL(light)
        x = self.x = ctypes.CDLL(name)
        x.xlu_cfg_init.restype = ctypes.c_void_p
        x.xlu_cfg_init.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        x.xlu_cfg_readdata.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        x.xlu_cfg_get_list.argtypes = [
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.POINTER(ctypes.c_void_p),
            ctypes.POINTER(ctypes.c_int),
            ctypes.c_int,
        ]
        x.xlu_cfg_get_listitem.restype = ctypes.c_char_p
        x.xlu_cfg_get_listitem.argtypes = [ctypes.c_void_p, ctypes.c_int]
        x.xlu_cfg_get_string.argtypes = [
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.POINTER(ctypes.c_char_p),
            ctypes.c_int,
        ]
        x.xlu_cfg_get_long.argtypes = [
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.POINTER(ctypes.c_long),
            ctypes.c_int,
        ]
        x.xlu_disk_parse.argtypes = [
            ctypes.c_void_p,
            ctypes.c_int,
            ctypes.POINTER(ctypes.c_char_p),
            ctypes.c_void_p,
        ]
        x.xlu_cfg_destroy.argtypes = [ctypes.c_void_p]
        self.light.libxl_device_disk_init.argtypes = [ctypes.c_void_p]
        self.report = self.libc.tmpfile()

    def parse(self, text: str) -> dict:
        """Parse like ``xl create``: whole file, then every disk spec; return what xl reads."""
        data = text.encode()
        cfg = self.x.xlu_cfg_init(self.report, b"domU.cfg")
        try:
            assert self.x.xlu_cfg_readdata(cfg, data, len(data)) == 0, "xl.cfg syntax error"
            out: dict = {}
            for key in ("name", "type", "kernel", "ramdisk", "root", "extra"):
                s = ctypes.c_char_p()
                if self.x.xlu_cfg_get_string(cfg, key.encode(), ctypes.byref(s), 1) == 0:
                    out[key] = s.value.decode()
            for key in ("vcpus", "maxvcpus", "memory", "maxmem", "cpu_weight"):
                v = ctypes.c_long()
                if self.x.xlu_cfg_get_long(cfg, key.encode(), ctypes.byref(v), 1) == 0:
                    out[key] = v.value
            for key in ("disk", "vif"):
                lst, n = ctypes.c_void_p(), ctypes.c_int()
                items = []
                if (
                    self.x.xlu_cfg_get_list(
                        cfg, key.encode(), ctypes.byref(lst), ctypes.byref(n), 1
                    )
                    == 0
                ):
                    items = [self.x.xlu_cfg_get_listitem(lst, i) for i in range(n.value)]
                out[key] = [i.decode() for i in items]
                if key == "disk":
                    for spec in items:
                        buf = ctypes.create_string_buffer(4096)  # > sizeof(libxl_device_disk)
                        self.light.libxl_device_disk_init(buf)
                        rc = self.x.xlu_disk_parse(cfg, 1, (ctypes.c_char_p * 1)(spec), buf)
                        assert rc == 0, f"xlu_disk_parse refused {spec!r}"
            return out
        finally:
            self.x.xlu_cfg_destroy(cfg)


#: vif keys of xl-network-configuration(5) (xl's vif parser is in xl itself, not libxlutil).
VIF_KEYS = {
    "mac",
    "bridge",
    "type",
    "vifname",
    "script",
    "ip",
    "backend",
    "rate",
    "model",
    "gatewaydev",
    "mtu",
}


def test_xen_cfg_parsed_by_libxlutil(xen_plans) -> None:
    xlu = _Xlu()
    # the parser really refuses (so the test can fail): an unknown disk key, an unclosed string
    with pytest.raises(AssertionError, match="xlu_disk_parse"):
        xlu.parse("disk = [ 'format=raw, vdev=xvda, acess=ro, target=/x' ]\n")
    with pytest.raises(AssertionError, match="syntax"):
        xlu.parse('name = "a\nb"\n')
    n = 0
    for p in xen_plans:
        for rel, text in render.render_xen(p).items():
            cfg = xlu.parse(text)
            g = next(g for h in p.hosts for g in h.guests if rel.endswith(f"/{g.name}.cfg"))
            assert (
                cfg["name"] == g.name and cfg["memory"] == g.memory_mib and cfg["vcpus"] == g.vcpus
            )
            assert cfg["maxmem"] == g.max_memory_mib and cfg["maxvcpus"] == g.max_vcpus
            assert len(cfg["disk"]) == sum(s.kind in ("shared", "image") for s in g.storage)
            for vif in cfg["vif"]:
                keys = [kv.split("=", 1)[0] for kv in vif.split(",")]
                assert set(keys) <= VIF_KEYS and all("=" in kv for kv in vif.split(","))
            n += 1
    print(f"\nxen: {n} xl.cfg files parsed by libxlutil (libxenmisc4.17)")


# --------------------------------------------------------------------------- libvirt
def test_libvirt_domains_validate(tmp_path, zvm_plans) -> None:
    tool = _need("virt-xml-validate", "libvirt-clients")
    _need("xmllint", "libxml2-utils")
    paths = []
    for i, p in enumerate(zvm_plans):
        paths += _write(render.render_libvirt(p), tmp_path / str(i))
    # virt-xml-validate itself on one file per plan; all files through the same command it runs
    # (xmllint --relaxng /usr/share/libvirt/schemas/domain.rng), in one process
    for path in paths[::26]:
        res = subprocess.run(
            [tool, str(path), "domain"], capture_output=True, text=True, check=False
        )
        assert res.returncode == 0, (path, res.stdout, res.stderr)
    res = subprocess.run(
        [
            "xmllint",
            "--noout",
            "--relaxng",
            "/usr/share/libvirt/schemas/domain.rng",
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 0 and res.stderr.count(" validates") == len(paths), res.stderr[-2000:]
    bad = tmp_path / "bad.xml"
    bad.write_text(
        paths[0]
        .read_text()
        .replace("<currentMemory", "<currentMemry")
        .replace("</currentMemory>", "</currentMemry>")
    )
    assert (
        subprocess.run([tool, str(bad), "domain"], capture_output=True, check=False).returncode != 0
    )
    print(f"\nlibvirt: {len(paths)} domain XML files validated with virt-xml-validate")


# --------------------------------------------------------------------------- cloud-init
#: One system-Python process runs, for every file, what ``cloud-init schema --config-file`` runs
#: (``cloudinit.config.schema.validate_cloudconfig_file`` against ``get_schema()``) and parses
#: every network-config with cloud-init's own v2 parser: one cloud-init process per file would
#: take minutes on two shared cores.
_CHECK = r"""
import sys, json, yaml
from cloudinit.config import schema
from cloudinit.net import network_state
out = {"user": {}, "net": {}}
full = schema.get_schema()
for path in sys.argv[1:]:
    if path.endswith("user-data"):
        try:
            schema.validate_cloudconfig_file(path, full)
            out["user"][path] = "valid"
        except schema.SchemaValidationError as exc:
            out["user"][path] = str(exc)
    else:
        cfg = yaml.safe_load(open(path))
        ns = network_state.parse_net_config_data(cfg, skip_broken=False)
        out["net"][path] = [[s.get("address"), s.get("prefix")] for i in ns.iter_interfaces()
                            for s in i["subnets"]]
print(json.dumps(out))
"""


def test_cloud_init_validates(tmp_path, zvm_plans, xen_plans) -> None:
    tool = _need("cloud-init", "cloud-init")
    paths = []
    for i, p in enumerate([*zvm_plans, *xen_plans]):
        paths += _write(render.render_cloud_init(p), tmp_path / str(i))
    users = [p for p in paths if p.name == "user-data"]
    nets = [p for p in paths if p.name == "network-config"]
    # the CLI itself, on one file of each design, and on a broken file
    for path in users[::26]:
        res = subprocess.run(
            [tool, "schema", "--config-file", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert res.returncode == 0 and "Valid cloud-config" in res.stdout, (
            path,
            res.stdout,
            res.stderr,
        )
    bad = tmp_path / "bad-user-data"
    bad.write_text(users[0].read_text().replace("hostname: ", "hostname:\n  - "))
    assert (
        subprocess.run(
            [tool, "schema", "--config-file", str(bad)], capture_output=True, check=False
        ).returncode
        != 0
    )
    res = subprocess.run(
        [SYSTEM_PYTHON, "-c", _CHECK, *map(str, paths), str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 0, res.stderr
    parsed = json.loads(res.stdout.splitlines()[-1])  # validate_cloudconfig_file also prints
    assert parsed["user"].pop(str(bad)) != "valid"
    assert parsed["user"] == {str(p): "valid" for p in users}
    for path in nets:
        eths = yaml.safe_load(path.read_text())["ethernets"]
        want = [
            [a.split("/")[0], int(a.split("/")[1])] for e in eths.values() for a in e["addresses"]
        ]
        assert want == parsed["net"][str(path)]
    print(
        f"\ncloud-init: {len(users)} user-data validated with cloud-init schema "
        f"{_cloud_init_version(tool)}, {len(nets)} network-config parsed by cloud-init network_state"
    )


def _cloud_init_version(tool: str) -> str:
    return subprocess.run(
        [tool, "--version"], capture_output=True, text=True, check=False
    ).stdout.split()[-1]


# --------------------------------------------------------------------------- z/VM directory
def _directory(files: dict[str, str]) -> tuple[list[tuple[str, str]], dict[str, set[str]]]:
    grants: dict[str, set[str]] = {}
    for k, v in files.items():
        if k.endswith("SYSTEM.CONFIG"):
            for vsw, users in zvm_check.parse_grants(v).items():
                grants.setdefault(vsw, set()).update(users)
    return [(k, v) for k, v in files.items() if k.endswith("USER.DIRECT")], grants


def test_zvm_directory_checks(zvm_plans) -> None:
    n = 0
    for p in zvm_plans:
        files = render.render_zvm(p)
        texts, grants = _directory(files)
        cyl = {"3390-9": 10017, "3390-3": 3339, "3390-27": 32760, "3390-54": 65520}[
            p.metadata.volume_model
        ]
        sizes = render.zvm.volume_sizes(p)  # per volser when data disks are on other models
        assert {sizes[im.zvm.volser] for im in p.images if im.zvm} <= {cyl}
        cyl = {v: n for v, n in sizes.items()} if len(set(sizes.values())) > 1 else cyl
        cms = [("MAINT", "0190"), ("MAINT", "019E"), ("MAINT", "019D")]  # seed 000 owner links CMS
        assert zvm_check.check_directory(texts, volume_cyl=cyl, grants=grants, external=cms) == []
        n += len(files)
        # the owner entry once, whatever the number of LPARs
        assert sum(t.count(f"USER {o} ") for _, t in texts for o in render.zvm.owners(p)) == len(
            render.zvm.owners(p)
        )
    print(f"\nzvm: {n} directory/SYSTEM CONFIG files checked by colonykit.render.zvm_check")


def _seed000(volser: str = "LX0001") -> str:
    """The seed's two entries with its placeholders filled in (it also omits the volser)."""
    text = (Path(__file__).parent / "data" / "zvm" / "seed000_directory.txt").read_text()
    starts = iter([1, 2, 3340, 3490, 3491, 3640])
    out = []
    for line in text.splitlines():
        if line.startswith("MDISK") and "start-cyl" in line:
            w = line.replace("start-cyl", str(next(starts))).split()
            line = " ".join([*w[:-1], volser, w[-1]])
        out.append(
            line.replace(" password ", " XXXXXXXX ")
            .replace("acntcode distcode", "ACNT1 DIST1")
            .replace("T-DISK cyls", "T-DISK 40")
        )
    return "\n".join(out) + "\n"


def test_zvm_checker_on_seed_000() -> None:
    ext = [("MAINT", "0190"), ("MAINT", "019E"), ("MAINT", "019D")]
    grants = {"INTRANET": {"LINXBASE", "LNXGUEST"}}
    assert zvm_check.check_directory([("seed000", _seed000())], grants=grants, external=ext) == []
    # the V-DISK swap of the seed's guest is what the basevol design now renders
    assert "MDISK 200 FB-512 V-DISK 409600  MR" in _seed000()
    probs = zvm_check.check_directory(
        [("seed000", _seed000())], grants={"INTRANET": {"LINXBASE"}}, external=ext
    )
    assert probs == [
        "USER LNXGUEST: NICDEF C00 couples to VSWITCH INTRANET, but no MODIFY VSWITCH INTRANET "
        "GRANT LNXGUEST authorizes it"
    ]
    assert any(
        "no MDISK defines" in p
        for p in zvm_check.check_directory([("s", _seed000())], grants=grants)
    )


@pytest.mark.parametrize(
    ("edit", "expect"),
    [
        (("MDISK 202 3390 3491 150 LX0001 MR", "MDISK 202 3390 3400 150 LX0001 MR"), "overlaps"),
        (("MDISK 191 3390 1 1 LX0001", "MDISK 191 3390 0 1 LX0001"), "cylinder 0"),
        (
            ("MDISK 202 3390 3491 150 LX0001 MR", "MDISK 202 3390 9990 150 LX0001 MR"),
            "outside the volume",
        ),
        (
            ("USER LNXGUEST XXXXXXXX 64M 256M G", "USER LNXGUEST XXXXXXXX 512M 256M G"),
            "exceeds the maximum",
        ),
        (("USER LNXGUEST XXXXXXXX", "USER LNXGUESTS XXXXXXXX"), "1-8 character"),
        (("LINK LINXBASE 201 201 RR", "LINK LINXBASE 201 201 RX"), "LINK mode"),
        (("LINK LINXBASE 201 201 RR", "LINK LINXBASE 209 201 RR"), "no MDISK defines"),
        (("MDISK 200 FB-512 V-DISK 409600  MR", "MDISK 200 FB-512 V-DISK 4194304 MR"), "at most"),
        (("* Link to", "MACHINE ESA\n* Link to"), "after a device statement"),
        (
            (
                "MDISK 191 3390 3490 1 LX0001 MR\n* dsk",
                "MDISK 191 3390 3490 1 LX0001 MR\nMDISK 191 FB-512 V-DISK 8 MR\n* dsk",
            ),
            "defined twice",
        ),
        (
            (
                "MDISK 191 3390 3490 1 LX0001 MR\n*",
                "MDISK 191 3390 3490 1 LX0001 MR\nSHARE RELATIVE 100\n*",
            ),
            "after a device statement",
        ),
    ],
)
def test_zvm_checker_catches(edit, expect) -> None:
    text = _seed000()
    assert edit[0] in text, edit[0]
    text = text.replace(edit[0], edit[1], 1)
    probs = zvm_check.check_directory(
        [("seed000", text)],
        grants={"INTRANET": {"LINXBASE", "LNXGUEST"}},
        external=[("MAINT", "0190"), ("MAINT", "019E"), ("MAINT", "019D")],
    )
    assert any(expect in p for p in probs), probs


def test_ro_root_matches_seed_001_device_table() -> None:
    """Seed 001's table: 1B1 root R/O 3200 cyl, 1B0 /boot R/O 60, 185 /local R/W 1119, 186 rpm R/O,
    1B2/1B3 64/128 MB VDISK, 1B4 550-cyl minidisk swap."""
    text = "".join(render.render_zvm(_plan("zvm-ro-root")).values())
    assert " LINK LNXGOLD 01B1 01B1 RR" in text and " LINK LNXGOLD 01B0 01B0 RR" in text
    assert (
        " MDISK 01B2 FB-512 V-DISK 131072 MR" in text
        and " MDISK 01B3 FB-512 V-DISK 262144 MR" in text
    )
    assert " MDISK 0185 3390 0001 1119 " in text and " 550 " in text
