#!/usr/bin/env bash
# Loopback load test of the web UI's API with wrk: POST /api/train (the
# bodies in web/tests/train_post.lua) for DURATION seconds; passes when
# requests/s >= MIN_RPS and there are no errors (socket errors, timeouts,
# non-2xx answers).
#   scripts/load_test_ui.sh [BINARY] [DURATION_S] [MIN_RPS] [CONNECTIONS]
#   defaults: build/src/cli/xpusim 30 200 8
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
binary="${1:-$root/build/src/cli/xpusim}"
duration="${2:-30}"
min_rps="${3:-200}"
conns="${4:-8}"

command -v wrk >/dev/null || { echo "load_test_ui: wrk not found (apt-get install wrk)" >&2; exit 77; }
[[ -x "$binary" ]] || { echo "load_test_ui: no binary at $binary" >&2; exit 2; }

log="$(mktemp)"
"$binary" --data-dir "$root/data" ui --port 0 2>"$log" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; rm -f "$log"' EXIT
url=""
for _ in $(seq 100); do
  url="$(grep -o 'http://[^ ]*/' "$log" | head -1 || true)"
  [[ -n "$url" ]] && break
  kill -0 $pid 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$url" ]] || { echo "load_test_ui: server printed no URL" >&2; cat "$log" >&2; exit 1; }

cmd=(wrk -t2 -c"$conns" -d"${duration}s" --timeout 5s --latency -s "$root/web/tests/train_post.lua" "${url}api/train")
echo "load_test_ui: ${cmd[*]}" >&2
out="$("${cmd[@]}" 2>&1)"
echo "$out"

rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
requests="$(awk '/requests in/ {print $1}' <<<"$out")"
socket_errors="$(awk -F'[ ,]+' '/Socket errors/ {print $4+$6+$8+$10}' <<<"$out")"
non2xx="$(awk '/Non-2xx/ {print $NF}' <<<"$out")"
errors=$(( ${socket_errors:-0} + ${non2xx:-0} ))

kill -TERM $pid
wait $pid && server_rc=0 || server_rc=$?
trap 'rm -f "$log"' EXIT

echo "load_test_ui: ${requests} requests in ${duration}s, ${rps} requests/s, latency p50 ${p50} p99 ${p99}, errors ${errors}, server exit ${server_rc}"
ok=$(awk -v r="$rps" -v m="$min_rps" 'BEGIN {print (r >= m) ? 1 : 0}')
if [[ "$ok" != 1 || "$errors" != 0 || "$server_rc" != 0 ]]; then
  echo "load_test_ui: FAIL (need >= ${min_rps} requests/s, 0 errors, clean shutdown)" >&2
  exit 1
fi
echo "load_test_ui: PASS (>= ${min_rps} requests/s, 0 errors)"
