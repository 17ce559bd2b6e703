#!/usr/bin/env bash
# Makes `import xpusim` work in every python3 here without PYTHONPATH: writes
# a one-line xpusim.pth (pointing at <build>/python) into the site-packages of
# `python3` on PATH and of /usr/bin/python3 (the build targets CPython 3.11;
# an interpreter of another version is skipped with a note).
#
#   scripts/install_python_path.sh [--build DIR] [--force]
#
# Writes only files named xpusim.pth. An xpusim.pth this script wrote before
# (it carries a marker line) is updated; any other file of that name is left
# alone unless --force. Where site-packages is not writable, the user's
# site-packages is used. XPUSIM_PYTHONS="py1 py2" overrides the interpreters.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$repo/build"
force=0
while (($#)); do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --build=*) build="${1#--build=}"; shift ;;
    --force) force=1; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install_python_path: unknown argument '$1' (see --help)" >&2; exit 1 ;;
  esac
done
build="$(cd "$build" 2>/dev/null && pwd)" || { echo "install_python_path: no build folder '$build' (run scripts/build.sh first)" >&2; exit 1; }
pkg="$build/python"
if ! compgen -G "$pkg/xpusim/_xpusim*.so" >/dev/null; then
  echo "install_python_path: $pkg/xpusim has no compiled _xpusim module (is pybind11-dev installed? see doc/python.md)" >&2
  exit 1
fi
marker="# written by xpusim scripts/install_python_path.sh (safe to delete)"
content="$marker
$pkg"
# The ABI the module was built for: _xpusim.cpython-311-x86_64-linux-gnu.so -> 311.
abi="$(basename "$(compgen -G "$pkg/xpusim/_xpusim*.so" | head -n1)" | sed -n 's/.*cpython-\([0-9]*\)-.*/\1/p')"

if [[ -n "${XPUSIM_PYTHONS:-}" ]]; then
  read -r -a pythons <<<"$XPUSIM_PYTHONS"
else
  pythons=()
  command -v python3 >/dev/null && pythons+=("$(command -v python3)")
  [[ -x /usr/bin/python3 ]] && pythons+=(/usr/bin/python3)
fi

status=0
done_dirs=" "
for py in "${pythons[@]}"; do
  ver="$("$py" -c 'import sys; print(f"{sys.version_info[0]}{sys.version_info[1]}")' 2>/dev/null)" || {
    echo "install_python_path: cannot run $py; skipped" >&2; continue; }
  if [[ -n "$abi" && "$ver" != "$abi" ]]; then
    echo "install_python_path: $py is Python ${ver:0:1}.${ver:1}, the module is built for ${abi:0:1}.${abi:1}; skipped" >&2
    continue
  fi
  dir="$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  if ! { mkdir -p "$dir" 2>/dev/null && [[ -w "$dir" ]]; }; then
    dir="$("$py" -m site --user-site)"
    mkdir -p "$dir"
  fi
  [[ "$done_dirs" == *" $dir "* ]] && continue
  done_dirs+="$dir "
  pth="$dir/xpusim.pth"
  if [[ -e "$pth" ]]; then
    if [[ "$(cat "$pth")" == "$content" ]]; then
      echo "install_python_path: $pth already points at $pkg"
      continue
    fi
    if ! grep -qxF "$marker" "$pth" && ((force == 0)); then
      echo "install_python_path: $pth exists and was not written by this script; left alone (--force replaces it)" >&2
      status=1
      continue
    fi
  fi
  printf '%s\n' "$content" >"$pth.tmp.$$" && mv "$pth.tmp.$$" "$pth"
  echo "install_python_path: $py -> $pth ($pkg)"
done
exit "$status"
