"""Ansible YAML inventory (``inventory.yml``): ``all`` → ``vars`` and ``children``.

One group per host/LPAR and one per guest role; per host ``ansible_host`` (the planned
address), ``colony_userid``, ``colony_vcpus``, ``colony_memory_mib``, ``colony_host``,
``colony_platform``. Written with ``yaml.safe_dump`` (quotes what needs quoting), so no value
can add a key; the header comment refuses line breaks.
"""

from __future__ import annotations

from typing import Any

import yaml

from colonykit.patterns import ansible_group
from colonykit.plan import ColonyPlan
from colonykit.render._common import file_name, header, ip_interface


def group_name(text: str) -> str:
    """An Ansible group name: ``[A-Za-z0-9_]`` only, lower case.

    Parameters
    ----------
    text : str
        A host, LPAR or role name.

    Examples
    --------
    >>> group_name("LPAR-1")
    'lpar_1'
    """
    return ansible_group(text)


def render_ansible(plan: ColonyPlan) -> dict[str, str]:
    """Ansible YAML inventory: one group per host/LPAR and one per guest role.

    Parameters
    ----------
    plan : ColonyPlan
        The plan (:func:`colonykit.plan.build_plan` or :func:`colonykit.export.load_plan`).

    Examples
    --------
    >>> import yaml
    >>> from colonykit import plan
    >>> inv = yaml.safe_load(render_ansible(plan.build_plan("data/examples/scenario.yaml").plan)
    ...                      ["inventory.yml"])
    >>> inv["all"]["children"]["lpar1"]["hosts"]["file-01"]["ansible_host"]
    '10.1.0.11'
    """
    children: dict[str, Any] = {}
    roles: dict[str, dict[str, None]] = {}
    for host in plan.hosts:
        hosts: dict[str, Any] = {}
        for g in host.guests:
            hv: dict[str, Any] = {}
            where = f"render ansible, host {host.id}, guest {g.name}"
            ip = next((n.ip for n in g.network if n.ip is not None), None)
            if ip is not None:
                hv["ansible_host"] = ip_interface(ip, "network.ip", where).split("/")[0]
            if g.zvm is not None:
                hv["colony_userid"] = g.zvm.userid
            hv.update(
                {
                    "colony_vcpus": g.vcpus,
                    "colony_memory_mib": g.memory_mib,
                    "colony_host": host.id,
                    "colony_platform": host.platform,
                }
            )
            hosts[file_name(g.name, "name", where)] = hv
            role = g.tags.get("role")
            if role is not None:
                roles.setdefault(f"role_{group_name(role)}", {})[g.name] = None
        children[group_name(host.id)] = {"hosts": hosts}
    for name in sorted(roles):
        children[name] = {"hosts": roles[name]}
    doc = {
        "all": {
            "vars": {
                "colony_plan": plan.metadata.name,
                "colony_plan_revision": plan.metadata.revision,
                "colony_design": plan.metadata.design,
            },
            "children": children,
        }
    }
    text = "\n".join(header(plan, None, "#", "ansible")) + "\n"
    text += yaml.safe_dump(doc, sort_keys=False, default_flow_style=False, width=100)
    return {"inventory.yml": text}


__all__ = [
    "group_name",
    "render_ansible",
]
