#!/usr/bin/env bash
# README command 1: set up, build, and run the flagship example.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh build >/dev/null
# `import xpusim` in python3 without PYTHONPATH (an xpusim.pth in site-packages).
scripts/install_python_path.sh --build build >/dev/null ||
  echo "note: import xpusim needs PYTHONPATH=$PWD/build/python (see doc/python.md)" >&2
x=build/src/cli/xpusim
echo "== Chips a planner can weigh: H100 vs H20 vs Ascend 910C vs MetaX C500"
$x catalog compare h100-sxm h20 ascend-910c metax-c500
echo
echo "== Llama-3-70B on 1,024 H100 (DGX H100), best plan from the search"
$x train --model llama3-70b --system dgx-h100 --chips 1024 --global-batch 1024 --seq 8192 --search --tokens 15e12
echo
echo "== The same job on Ascend 910C (CloudMatrix 384)"
$x train --model llama3-70b --system cloudmatrix-384 --chips 1536 --global-batch 1024 --seq 8192 --search --tokens 15e12
echo
echo "== How many 910C match 16,384 H100 on Llama-3-405B (global batch 2,048 x 8,192 tokens, as Meta trained it), with MW, MWh and cost"
$x match --reference dgx-h100:16384 --candidate cloudmatrix-384 --model llama3-405b --global-batch 2048 --seq 8192
echo
echo "== A fleet for a 12 MW, domestic-only site: a 70B model on 15T tokens in 90 days (GLPK MILP)"
$x plan --scenario examples/plan-12mw-domestic-70b.yaml
echo
echo "== The same from Python"
python3 -c "import xpusim; r = xpusim.train(model='llama3-70b', system='dgx-h100', chips=1024, tp=8, pp=4); print(f\"MFU {r['mfu']:.3f}, {r['tokens_per_s']:,.0f} tokens/s\")" ||
  PYTHONPATH=build/python python3 -c "import xpusim; print(xpusim.train(model='llama3-70b', system='dgx-h100', chips=1024, tp=8, pp=4)['mfu'])"
echo
echo "Next: 'build/src/cli/xpusim ui' serves the web UI on http://127.0.0.1:8080 (doc/ui.md);"
echo "      'build/src/cli/xpusim sweep examples/sweep-grid.yaml --out sweep.sqlite' runs a grid (doc/sweep.md)."
