#!/usr/bin/env bash
# Docker cannot run on these machines, so this replays the Dockerfile's runtime stage by hand:
# a clean copy of package files + the build output, `npm ci --omit=dev`, `node dist/main.js`,
# and the HEALTHCHECK's request. It fails if production dependencies miss anything the build
# needs at run time (a dev-only import, a missing file).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

[ -f "$root/dist/main.js" ] || (cd "$root" && npm run build)
cp "$root/package.json" "$root/package-lock.json" "$work/"
cp -r "$root/dist" "$work/dist"
(cd "$work" && npm ci --omit=dev --no-audit --no-fund --loglevel=error)

port="${CHECK_PORT:-3917}"
(cd "$work" && NODE_ENV=production PORT="$port" HOST=127.0.0.1 LOG_LEVEL=warn \
  DATABASE_URL="${CHECK_DATABASE_URL:-postgres://postgres@localhost:5432/nexcore_test}" \
  REDIS_URL="${CHECK_REDIS_URL:-redis://localhost:6379/0}" \
  JWT_SECRET="runtime-stage-check-$(date +%s%N)-0123456789abcdef" \
  node dist/main.js) &
pid=$!

for _ in $(seq 1 100); do
  if node -e "fetch('http://127.0.0.1:$port/api/v1/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then
    echo "runtime stage OK: production install of dist/ answers /api/v1/health/live"
    exit 0
  fi
  kill -0 "$pid" 2>/dev/null || { echo "runtime stage FAILED: node dist/main.js exited"; exit 1; }
  sleep 0.2
done
echo "runtime stage FAILED: no answer from /api/v1/health/live"
exit 1
