#!/usr/bin/env bash
# The provisioning targets' own validators (docs/render.md): virt-xml-validate (+ xmllint),
# cloud-init's schema, Xen's xl.cfg parser libxlutil.  Present: nothing to do (no root needed).
# Missing: installed with apt-get when run as root, otherwise named (their tests skip, naming
# the tool).  Usage: .ci/validators.sh PYTHON
set -uo pipefail
python="${1:-python3}"
missing=()
command -v virt-xml-validate >/dev/null 2>&1 || missing+=(libvirt-clients)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
command -v cloud-init >/dev/null 2>&1 || missing+=(cloud-init)
"$python" -c 'import ctypes.util, sys; sys.exit(ctypes.util.find_library("xlutil") is None)' \
  || missing+=(libxenmisc4.17)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null && exit 0
fi
echo "note: the validator tests will skip: install the Debian packages ${missing[*]}" \
  "(sudo apt-get install ${missing[*]})" >&2
exit 0
