#!/usr/bin/env bash
# Docker cannot run on these machines, so this replays the Dockerfile's runtime stage by hand:
# a clean copy of package files + the build output, `npm ci --omit=dev`, `node dist/main.js`,
# and the HEALTHCHECK's request. It fails if production dependencies miss anything the build
# needs at run time (a dev-only import, a missing file). It then boots the same install in
# embedded mode (no DATABASE_URL/REDIS_URL: PGlite and in-memory Redis must load from the
# production dependencies too) and asks /api/v1/health/ready.
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
secret="runtime-stage-check-$(date +%s%N)-0123456789abcdef"

# wait_for PATH TRIES: polls the server until PATH answers 2xx, fails if it exits first.
wait_for() {
  for _ in $(seq 1 "$2"); do
    if node -e "fetch('http://127.0.0.1:$port$1').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { echo "runtime stage FAILED: node dist/main.js exited"; exit 1; }
    sleep 0.2
  done
  echo "runtime stage FAILED: no answer from $1"
  exit 1
}

(cd "$work" && NODE_ENV=production exec env PORT="$port" HOST=127.0.0.1 LOG_LEVEL=warn \
  DATABASE_URL="${CHECK_DATABASE_URL:-postgres://postgres@localhost:5432/nexcore_test}" \
  REDIS_URL="${CHECK_REDIS_URL:-redis://localhost:6379/0}" \
  JWT_SECRET="$secret" METRICS_TOKEN="$secret" node dist/main.js) &
pid=$!
wait_for /api/v1/health/live 100
echo "runtime stage OK: production install of dist/ answers /api/v1/health/live"
kill "$pid"; wait "$pid" || true

(cd "$work" && exec env -u DATABASE_URL -u REDIS_URL NODE_ENV=production ALLOW_EMBEDDED_IN_PRODUCTION=true \
  PGLITE_DATA_DIR="$work/pglite" PORT="$port" HOST=127.0.0.1 LOG_LEVEL=warn JWT_SECRET="$secret" METRICS_TOKEN="$secret" node dist/main.js) &
pid=$!
wait_for /api/v1/health/ready 600
echo "runtime stage OK: the same install boots in embedded mode and answers /api/v1/health/ready"
kill "$pid"; wait "$pid" || true
pid=""
