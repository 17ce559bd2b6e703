#!/usr/bin/env bash
# Installs the Debian packages xpusim needs, only those that are missing.
# Safe to run again; uses sudo when not root.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libfmt-dev libtbb-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang  # libFuzzer targets (scripts/fuzz.sh)
  libcpp-httplib-dev chromium wrk  # xpusim ui: server, browser test, load test (the front end needs Node >= 20.19 + npm)
  libsqlite3-dev libopenmpi-dev openmpi-bin  # xpusim sweep: results database, MPI ranks
  pybind11-dev python3-dev python3-pytest python3-pandas  # import xpusim (doc/python.md); pandas only for to_frame
  libglpk-dev glpk-utils  # xpusim plan: fleet MILP (doc/planning.md)
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "xpusim setup: installing ${missing[*]}" >&2
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "xpusim setup: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
