#!/usr/bin/env bash
# make test-wheel: the built wheel, installed core-only in a fresh venv outside the tree, runs the
# commands a user runs first (issue 27 §7).  Usage: .ci/wheel_smoke.sh WHEEL_DIR [PYTHON]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
wheel="$(ls "$1"/colonykit-*.whl)"
python="${2:-python3}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$python" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install --quiet "$wheel"   # the core only: no extra
ck="$tmp/venv/bin/colonykit"
cp -r "$root/data/examples" "$tmp/examples"
mkdir -p "$tmp/traces" && cp "$root"/data/traces/bitbrains_rnd_50vm_7d* "$tmp/traces/"
cd "$tmp"   # outside the tree: the installed package, never the source
"$tmp/venv/bin/python" -c "import colonykit, colonykit.sizing, colonykit.plan; assert 'site-packages' in colonykit.__file__, colonykit.__file__"
"$ck" --help >/dev/null
"$ck" init study 2>init.err
grep -q "colonykit\[excel\]" init.err   # inventory.csv written; the xlsx template names its extra
"$ck" size study/inventory.csv --target z15 >/dev/null
"$ck" size examples/xyz_inventory.csv --target z15 >/dev/null
"$ck" run examples/bitbrains_colony.yaml --out out >/dev/null
test -f out/plan.yaml && test -f out/report.html
set +e
"$ck" report examples/scenario.yaml --out report.html --xlsx tables.xlsx 2>report.err
rc=$?
set -e
if [ "$rc" -ne 2 ] || ! grep -q "colonykit\[excel\]" report.err || grep -q Traceback report.err; then
  echo "report --xlsx on the core install: exit $rc, expected 2 naming colonykit[excel]:" >&2
  cat report.err >&2
  exit 1
fi
# the workshop notebook ships in the wheel (issue 20); without the workshop extra the command names it
"$tmp/venv/bin/python" -c "import importlib.resources as r; assert r.files('colonykit').joinpath('_data/workshop.ipynb').is_file()"
set +e
"$ck" workshop examples/scenario.yaml --no-browser 2>workshop.err
rc=$?
set -e
if [ "$rc" -ne 2 ] || ! grep -q "colonykit\[workshop\]" workshop.err || grep -q Traceback workshop.err; then
  echo "workshop on the core install: exit $rc, expected 2 naming colonykit[workshop]:" >&2
  cat workshop.err >&2
  exit 1
fi
echo "test-wheel: $(basename "$wheel") core-only: --help, init, size, run, report --xlsx, workshop OK"
