#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, doc/fuzzing.md) and runs each for N
# seconds, one process each (-jobs=1 -workers=1 equivalent), seeded from
# data/ and tests/fixtures/. Prints executions per target and the total;
# exits 1 if any target found a crash, leak, timeout or OOM (the reproducer
# is left in BUILD/fuzz-artifacts/<target>/).
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET=60] [BUILD_DIR=build-fuzz] [TARGET...]
# Environment: XPUSIM_FUZZ_JOBS (build jobs, default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-60}
BUILD=${2:-build-fuzz}
shift $(( $# > 2 ? 2 : $# ))
ALL=(fuzz_chip_yaml fuzz_system_yaml fuzz_model_yaml fuzz_hf_config fuzz_rules_yaml fuzz_validation
     fuzz_failure_rates fuzz_cli)
TARGETS=("$@")
((${#TARGETS[@]})) || TARGETS=("${ALL[@]}")

if ! command -v clang++ >/dev/null; then
  echo "fuzz.sh: clang++ not found (apt-get install clang); skipping" >&2
  exit 0
fi
if [[ ! -f "$BUILD/build.ninja" ]]; then
  CXX=clang++ cmake -S . -B "$BUILD" -G Ninja -DXPUSIM_FUZZ=ON -DXPUSIM_BUILD_TESTS=OFF \
    -DXPUSIM_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$BUILD" -j "${XPUSIM_FUZZ_JOBS:-2}" --target "${TARGETS[@]}"

seeds_for() {
  case "$1" in
    fuzz_chip_yaml) echo data/chips tests/fixtures/good/chips tests/fixtures/bad/chips ;;
    fuzz_system_yaml) echo data/systems tests/fixtures/good/systems tests/fixtures/bad/systems ;;
    fuzz_model_yaml) echo data/models tests/fixtures/good/models tests/fixtures/bad/models ;;
    fuzz_rules_yaml) echo data/rules tests/fixtures/good/rules tests/fixtures/bad/rules ;;
    fuzz_hf_config) echo tests/fixtures/hf tests/fixtures/hf/bad ;;
    fuzz_validation) echo data/validation/* ;;
    fuzz_failure_rates) echo data/reliability ;;
    fuzz_cli) echo fuzz/seeds/cli ;;
  esac
}

total=0
failed=0
printf '%-20s %14s %8s  %s\n' target executions exec/s result
for t in "${TARGETS[@]}"; do
  corpus="$BUILD/fuzz-corpus/$t"
  art="$BUILD/fuzz-artifacts/$t"
  mkdir -p "$corpus" "$art"
  seeds=()
  for d in $(seeds_for "$t"); do [[ -d $d ]] && seeds+=("$d"); done
  log="$BUILD/fuzz-$t.log"
  set +e
  ASAN_OPTIONS=detect_leaks=1 "$BUILD/fuzz/$t" "$corpus" "${seeds[@]}" -max_total_time="$SECS" \
    -timeout=20 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix="$art/" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  result=ok
  if ((rc != 0)); then
    result="FAILED (rc $rc, see $log, reproducer in $art/)"
    failed=1
  fi
  printf '%-20s %14s %8s  %s\n' "$t" "${execs:-0}" "${rate:-0}" "$result"
  total=$((total + ${execs:-0}))
done
printf '%-20s %14s\n' total "$total"
exit $failed
