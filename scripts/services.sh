#!/usr/bin/env bash
# Start PostgreSQL and Redis for the scale-out test run, installing them first on a bare machine.
# Creates the role and database Tillit's tests use. Idempotent.
set -euo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v pg_ctlcluster >/dev/null || ! command -v redis-server >/dev/null; then
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql redis-server >/dev/null
fi

if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  version=$(ls /etc/postgresql | sort -n | tail -n 1)
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL did not start" >&2; exit 1; }

as_root su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='tillit'\"" | grep -q 1 \
  || as_root su postgres -c "psql -qc \"CREATE ROLE tillit LOGIN CREATEDB PASSWORD 'tillit'\""
as_root su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='tillit'\"" | grep -q 1 \
  || as_root su postgres -c "psql -qc 'CREATE DATABASE tillit OWNER tillit'"

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  mkdir -p /tmp/tillit-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no \
    --dir /tmp/tillit-redis --logfile /tmp/tillit-redis/redis.log
  for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.5; done
fi
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "Redis did not start" >&2; exit 1; }
echo "PostgreSQL and Redis are running."
