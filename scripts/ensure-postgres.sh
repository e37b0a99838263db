#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 for the test
# suite, starting (or, on a bare Debian machine, installing) one if needed.
# Prints nothing but progress; scripts/test-env.sh finds the credentials.
set -euo pipefail

ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if ready; then
  echo "PostgreSQL is running"
  exit 0
fi
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "installing PostgreSQL"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "PostgreSQL is not running and cannot be installed here" >&2
    exit 1
  fi
fi
version=$(ls /etc/postgresql | sort -n | tail -1)
echo "starting PostgreSQL $version"
pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
for _ in $(seq 1 30); do
  ready && exit 0
  sleep 1
done
echo "PostgreSQL did not start" >&2
exit 1
