#!/usr/bin/env bash
# Builds the web UI's front end (web/ -> web/dist) with npm; the next
# `cmake --build` compiles web/dist into the xpusim binary (src/web).
# Idempotent: `npm ci` runs only when package-lock.json changed since the
# last install, `npm run build` only when a source is newer than web/dist.
# Without node/npm it warns and exits 0 (the server then says how to build);
# with --require it fails instead.
set -euo pipefail
cd "$(dirname "$0")/../web"

require=0
[[ "${1:-}" == "--require" ]] && require=1

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "build_web: node/npm not found; the UI is not built (xpusim ui will say so). Install nodejs and npm." >&2
  exit $((require ? 1 : 0))
fi

# Vite 7 needs Node 20.19+ (Debian bookworm's nodejs is 18).
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "build_web: Node $(node --version) is too old for Vite 7 (needs >= 20.19); the UI is not built" >&2
  exit $((require ? 1 : 0))
fi

# npm ci when node_modules is missing or older than the lock file.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "build_web: npm ci" >&2
  # npm 11 writes lock files without the entries of optional packages for
  # other platforms (rollup's native builds) and then refuses them in `npm ci`;
  # `npm install` installs the same locked versions from that lock file.
  npm ci --no-audit --no-fund --loglevel=error >&2 2>/dev/null ||
    npm install --no-audit --no-fund --loglevel=error >&2
fi

# Rebuild when any input is newer than dist/index.html.
if [[ -f dist/index.html ]]; then
  newer=$(find index.html vite.config.js package.json package-lock.json src -newer dist/index.html -print -quit)
  if [[ -z "$newer" ]]; then
    echo "build_web: web/dist is up to date" >&2
    exit 0
  fi
fi
echo "build_web: npm run build" >&2
npm run build --silent >&2
touch dist/index.html  # the stamp the check above compares with
