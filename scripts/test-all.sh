#!/usr/bin/env bash
# The whole test suite, as CI runs it: type-check, lint, formatting, every
# unit and integration test on SQLite and PostgreSQL, production builds of
# the backend and the app, then the end-to-end suite in headless Chromium
# against the built app. Ends with the line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=node-env.sh
source scripts/node-env.sh
# shellcheck source=test-env.sh
source scripts/test-env.sh
export CI=true

out=$(mktemp -d)
failed_steps=()
passed=0
failed=0

step() {
  local name=$1
  shift
  printf '\n--- %s\n' "$name"
  local start=$SECONDS
  if "$@"; then
    printf -- '--- %s: ok (%ss)\n' "$name" $((SECONDS - start))
  else
    printf -- '--- %s: FAILED (%ss)\n' "$name" $((SECONDS - start))
    failed_steps+=("$name")
  fi
}

count_jest() {
  local counts
  counts=$(node -e '
    const r = require(process.argv[1]);
    console.log(r.numPassedTests, r.numFailedTests + r.numRuntimeErrorTestSuites);
  ' "$1" 2>/dev/null) || counts="0 1"
  passed=$((passed + ${counts% *}))
  failed=$((failed + ${counts#* }))
}

if [ -z "${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-}" ]; then
  echo "PostgreSQL is required for the store tests (scripts/ensure-postgres.sh)" >&2
  failed_steps+=("postgres")
fi

step "type-check" yarn tsc
step "lint" yarn backstage-cli repo lint
step "formatting" yarn prettier --check .
step "unit and integration tests" yarn backstage-cli repo test --json --outputFile="$out/jest.json"
count_jest "$out/jest.json"
step "build backend" yarn workspace backend build
step "build app" yarn workspace app build
if [ -d e2e ]; then
  step "end-to-end" bash scripts/e2e.sh "$out/e2e.json"
  if [ -f "$out/e2e.json" ]; then
    counts=$(node -e '
      const s = require(process.argv[1]).stats;
      console.log(s.expected + s.flaky, s.unexpected);
    ' "$out/e2e.json" 2>/dev/null) || counts="0 1"
    passed=$((passed + ${counts% *}))
    failed=$((failed + ${counts#* }))
  else
    failed=$((failed + 1))
  fi
fi

echo
if [ ${#failed_steps[@]} -gt 0 ]; then
  echo "failed steps: ${failed_steps[*]}"
  [ "$failed" -eq 0 ] && failed=1
fi
echo "$passed passed, $failed failed"
[ ${#failed_steps[@]} -eq 0 ] && [ "$failed" -eq 0 ]
