#!/usr/bin/env bash
# The shared-mailbox tests read mail from a real IMAP server: Debian's Dovecot, started by each
# test from its own config on a free port (never as a system service). Installs it when missing.
set -euo pipefail
[ -x /usr/sbin/dovecot ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's dovecot-imapd for the mailbox tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null
  # The package may start a system instance where systemd or init scripts run: the tests do not
  # use it, and it would hold ports 143/993.
  if command -v service >/dev/null; then service dovecot stop >/dev/null 2>&1 || true; fi
else
  echo "The mailbox tests need Dovecot: sudo apt-get install dovecot-imapd" >&2
  exit 1
fi
