#!/usr/bin/env bash
# make test-wheel, second half: the unit suite against the built wheel (issue 27 §7).  The wheel
# is installed with the test-unit extra in a fresh venv; tests/, data/ (their inputs) and
# pyproject.toml (pytest's settings) are copied to a temporary folder, and pytest runs there, so
# ``import colonykit`` finds the venv's site-packages, never the source tree.  Tests that read the
# repository's own files skip with the reason (tests/conftest.py: SOURCE_TREE_*, marker
# source_tree).  Usage: .ci/wheel_tests.sh WHEEL_DIR [PYTHON] [PYTEST ARGS…]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
wheel="$(ls "$1"/colonykit-*.whl)"
python="${2:-python3}"
shift $(( $# < 2 ? $# : 2 ))
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$python" -m venv "$tmp/venv"
py="$tmp/venv/bin/python"
"$py" -m pip install --quiet "${wheel}[test-unit]"
mkdir "$tmp/suite"
cp -r "$root/tests" "$root/data" "$root/pyproject.toml" "$tmp/suite/"
rm -rf "$tmp/suite/tests/__pycache__"
cd "$tmp/suite"   # outside the tree; no colonykit/ here
"$py" - <<'PY'
import pathlib, sysconfig
import colonykit
site = pathlib.Path(sysconfig.get_paths()["purelib"]).resolve()
got = pathlib.Path(colonykit.__file__).resolve()
assert site in got.parents, f"colonykit imported from {got}, not the venv's {site}"
print(f"test-wheel: the suite imports {got}")
PY
export COLONYKIT_TEST_INSTALLED=1   # tests/conftest.py refuses to run against the source tree
if [ "$#" -gt 0 ]; then
  exec "$py" -m pytest -p no:cacheprovider -q "$@"
fi
# as make test: the default suite (no robustness, no notebook runs; the browser tests are
# make test-browser's), the Dask tests on their own
"$py" -m pytest -p no:cacheprovider -q -n 2 --dist loadfile -m "not robust and not notebook and not ui" \
  --ignore=tests/test_scale.py tests
"$py" -m pytest -p no:cacheprovider -q tests/test_scale.py
