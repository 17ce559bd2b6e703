#!/usr/bin/env bash
# README command 1: set up, build, and run the flagship example.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh build >/dev/null
x=build/src/cli/xpusim
echo "== Chips a planner can weigh: H100 vs H20 vs Ascend 910C vs MetaX C500"
$x catalog compare h100-sxm h20 ascend-910c metax-c500
if $x train --help >/dev/null 2>&1; then
  echo
  echo "== Llama-3-70B on 1,024 H100 (DGX H100), best plan from the search"
  $x train --model llama3-70b --system dgx-h100 --chips 1024 --global-batch 1024 --seq 8192 --search --tokens 15e12
  echo
  echo "== The same job on Ascend 910C (CloudMatrix 384)"
  $x train --model llama3-70b --system cloudmatrix-384 --chips 1536 --global-batch 1024 --seq 8192 --search --tokens 15e12
fi
