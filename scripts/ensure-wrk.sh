#!/usr/bin/env bash
# The latency benchmarks measure with Debian's wrk (HTTP load generator).
set -euo pipefail
command -v wrk >/dev/null && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's wrk for the latency benchmarks..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
else
  echo "The latency benchmarks need wrk: sudo apt-get install wrk" >&2
  exit 1
fi
