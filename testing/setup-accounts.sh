#!/usr/bin/env bash
# Real Linux accounts for the sign-in tests (run as root; idempotent). Throwaway test accounts with a
# known password, checked through PAM with the portal's own service file, installed here.
# Arguments NAME:UID add more such accounts (testing/bench/load.sh makes its 50 users this way).
set -euo pipefail
cd "$(dirname "$0")/.."
PASSWORD="ds01-test-password"

say() { printf '[setup-accounts] %s\n' "$*" >&2; }
die() { printf '[setup-accounts] ERROR: %s\n' "$*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run me as root"

install -m 0644 deploy/pam/ds01-portal /etc/pam.d/ds01-portal

group() { getent group "$1" >/dev/null || groupadd "$1"; }

# account NAME UID: create with that uid (fail loudly if the uid belongs to someone else), set the password
account() {
  local name="$1" uid="$2" holder
  holder="$(getent passwd "$uid" | cut -d: -f1 || true)"
  if [ -n "$holder" ] && [ "$holder" != "$name" ]; then
    die "uid $uid is taken by '$holder'; the tests expect $name there"
  fi
  if ! getent passwd "$name" >/dev/null; then
    useradd --uid "$uid" --user-group --create-home --shell /bin/bash "$name"
  fi
  echo "$name:$PASSWORD" | chpasswd
  usermod --unlock "$name" >/dev/null 2>&1 || true
  chage -E -1 -M 99999 -d "$(date +%F)" "$name"
}

group ds01-admin
group ds01-researchers
account ds01alice 2001
account ds01bob 2002
account ds01admin 2003
account ds01locked 2004
account ds01expired 2005
account ds01sys 990
account ds01passexp 2006
account ds01umlaut 2007
usermod -a -G ds01-researchers ds01bob
usermod -a -G ds01-admin ds01admin
usermod --lock ds01locked
chage -E 0 ds01expired
chage -d 0 ds01passexp   # must choose a new password before signing in
# a password beyond ASCII, as people type them in a UTF-8 terminal (the tests check it reaches PAM as UTF-8)
echo 'ds01umlaut:Grüße aus dem Labor 42' | chpasswd
say "test accounts ready: ds01alice ds01bob ds01admin (ds01-admin) ds01locked (locked) ds01expired (expired) ds01sys (uid 990) ds01passexp (password expired) ds01umlaut (non-ASCII password)"
for extra in "$@"; do
  account "${extra%%:*}" "${extra#*:}"
done
[ $# -eq 0 ] || say "$# more account(s) ready: ${1%%:*} .. ${!#%%:*}"
