#!/usr/bin/env bash
# The whole test suite, as CI runs it: type-check, lint, formatting, the
# committed API reports, unused or misplaced dependencies, every unit and
# integration test on SQLite and PostgreSQL, packing every plugin package as
# it would be published, production builds of the backend and the app, then
# the end-to-end suite in headless Chromium against the built app. Ends with
# the line "N passed, N failed".
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

# Every package under plugins/ as npm would publish it: the publish metadata
# is complete (repo fix --publish has nothing to do), the package builds,
# prepack points package.json at dist/ and every path it then names exists.
# postpack restores package.json whatever happened (even on Ctrl-C).
pack_plugins() {
  yarn backstage-cli repo fix --publish --check || return 1
  yarn backstage-cli repo build || return 1
  local dir status=0
  for dir in plugins/*/; do
    printf '%s\n' "$dir"
    (
      cd "$dir" || exit 1
      trap 'yarn backstage-cli package postpack' EXIT
      yarn backstage-cli package prepack && node -e "$check_packed"
    ) || status=1
  done
  return $status
}
check_packed='
  const fs = require("fs");
  const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
  const paths = [pkg.main, pkg.module, pkg.types, pkg.configSchema];
  const collect = (value, key) => {
    if (typeof value === "string") key !== "backstage" && paths.push(value);
    else if (value && typeof value === "object")
      Object.entries(value).forEach(([k, v]) => collect(v, k));
  };
  collect(pkg.exports);
  collect(pkg.typesVersions);
  collect(pkg.files);
  const problems = paths
    .filter(p => p !== undefined && !fs.existsSync(p))
    .map(p => `${p} does not exist`);
  if (!/^(\.\/)?dist\//.test(pkg.main)) problems.push(`main is ${pkg.main}, not in dist/`);
  for (const problem of problems) console.error(`${pkg.name}: ${problem}`);
  process.exit(problems.length ? 1 : 0);
'

if [ -z "${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-}" ]; then
  echo "PostgreSQL is required for the store tests (scripts/ensure-postgres.sh)" >&2
  failed_steps+=("postgres")
fi

step "type-check" yarn tsc
step "lint" yarn backstage-cli repo lint
step "formatting" yarn prettier --check .
step "API reports" yarn build:api-reports:check
step "dependencies (knip)" yarn knip
step "unit and integration tests" yarn backstage-cli repo test --json --outputFile="$out/jest.json"
count_jest "$out/jest.json"
step "pack plugins" pack_plugins
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
