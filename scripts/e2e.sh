#!/usr/bin/env bash
# End-to-end suite: serves the built app from the backend on a free port
# (so it runs beside `yarn start`, which holds 3000 and 7007) and drives
# it with Playwright in Debian's Chromium, in two phases with the guest
# sign-in configured as two people:
#   engineer  aisha.rahman of group:default/identity-team: not a security
#             manager, owns the identity team's services and nothing else
#   manager   nadia.okafor of group:default/security-team
# Usage: scripts/e2e.sh [report.json]   (needs `yarn workspace app build`)
set -uo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=node-env.sh
source scripts/node-env.sh

report=${1:-e2e-test-results/results.json}
mkdir -p e2e-test-results
export CHROMIUM_PATH=${CHROMIUM_PATH:-$(command -v chromium || echo /usr/bin/chromium)}
# A port nothing listens on now, unless E2E_PORT says which.
port=${E2E_PORT:-$(node -e '
  const server = require("net").createServer();
  server.listen(0, "127.0.0.1", () => {
    console.log(server.address().port);
    server.close();
  });
')}
export E2E_BASE_URL=http://localhost:$port
status=0
reports=()

wait_for_backend() {
  for _ in $(seq 1 180); do
    curl -fsS "$E2E_BASE_URL/.backstage/health/v1/readiness" >/dev/null 2>&1 && break
    sleep 1
  done
  # Then for the example data: the catalog processes the examples, the
  # plugin syncs applicability and the demo seeder posts its history.
  local token count
  for _ in $(seq 1 240); do
    token=$(curl -fsS -H 'X-Requested-With: XMLHttpRequest' \
      "$E2E_BASE_URL/api/auth/guest/refresh?env=development" 2>/dev/null |
      node -pe 'JSON.parse(require("fs").readFileSync(0)).backstageIdentity.token' 2>/dev/null)
    count=$(curl -fsS -H "Authorization: Bearer $token" \
      "$E2E_BASE_URL/api/security-management/test-records?limit=1" 2>/dev/null |
      node -pe 'JSON.parse(require("fs").readFileSync(0)).totalCount' 2>/dev/null)
    [ "${count:-0}" -gt 0 ] 2>/dev/null && return 0
    sleep 1
  done
  return 1
}

run_phase() {
  local phase=$1
  shift
  local log="e2e-test-results/backend-$phase.log"
  echo "e2e: starting backend for the $phase phase"
  # The backend from source without the CLI's file watcher, serving the
  # built app (packages/app/dist) through the app backend plugin.
  (cd packages/backend && exec env NODE_ENV=development \
    APP_CONFIG_app_baseUrl="$E2E_BASE_URL" \
    APP_CONFIG_backend_baseUrl="$E2E_BASE_URL" \
    APP_CONFIG_backend_listen_port="$port" \
    APP_CONFIG_backend_cors_origin="$E2E_BASE_URL" "$@" \
    node --require @backstage/cli/config/nodeTransform.cjs src/index.ts) \
    >"$log" 2>&1 &
  local pid=$!
  if wait_for_backend; then
    PLAYWRIGHT_JSON_OUTPUT_NAME="$PWD/e2e-test-results/$phase.json" E2E_PHASE=$phase \
      yarn playwright test -c e2e/playwright.config.ts --project "$phase" || status=1
    reports+=("e2e-test-results/$phase.json")
  else
    echo "e2e: backend or example data not ready; last lines of $log:" >&2
    tail -40 "$log" >&2
    status=1
  fi
  kill "$pid" 2>/dev/null
  for _ in $(seq 1 30); do
    curl -fsS "$E2E_BASE_URL" >/dev/null 2>&1 || break
    sleep 1
  done
}

run_phase engineer \
  APP_CONFIG_auth_providers_guest_userEntityRef=user:default/aisha.rahman \
  APP_CONFIG_auth_providers_guest_ownershipEntityRefs='["user:default/aisha.rahman","group:default/identity-team"]'
run_phase manager \
  APP_CONFIG_auth_providers_guest_userEntityRef=user:default/nadia.okafor \
  APP_CONFIG_auth_providers_guest_ownershipEntityRefs='["user:default/nadia.okafor","group:default/security-team"]'

# One report with the summed counts, for scripts/test-all.sh.
node -e '
  const fs = require("fs");
  const [out, ...files] = process.argv.slice(1);
  const stats = { expected: 0, unexpected: 0, flaky: 0, skipped: 0 };
  for (const f of files) {
    if (!fs.existsSync(f)) { stats.unexpected += 1; continue; }
    const s = JSON.parse(fs.readFileSync(f, "utf8")).stats;
    for (const k of Object.keys(stats)) stats[k] += s[k] ?? 0;
  }
  fs.writeFileSync(out, JSON.stringify({ stats }));
  console.log(`e2e: ${stats.expected + stats.flaky} passed, ${stats.unexpected} failed`);
' "$report" "${reports[@]}"
exit $status
