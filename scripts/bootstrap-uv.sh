#!/usr/bin/env bash
# Make sure `uv` exists. A fresh Debian machine may have only python3: install uv from PyPI into
# the user's ~/.local, with pip if there is one, otherwise after installing python3-pip (as root).
set -euo pipefail
command -v uv >/dev/null 2>&1 && exit 0
[ -x "$HOME/.local/bin/uv" ] && exit 0
echo "Installing uv (the Python package manager) from PyPI..."
if ! python3 -m pip --version >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip >/dev/null
  else
    echo "python3 has no pip. Install it (sudo apt-get install python3-pip) and run again." >&2
    exit 1
  fi
fi
python3 -m pip install --user --quiet uv 2>/dev/null \
  || python3 -m pip install --user --quiet --break-system-packages uv
command -v uv >/dev/null 2>&1 || [ -x "$HOME/.local/bin/uv" ] || {
  echo "uv was installed but is not on PATH; add ~/.local/bin to PATH." >&2; exit 1; }
