#!/usr/bin/env bash
# The tests' own Docker engine: started with testing/bin first on its PATH (so its "nvidia" device driver is
# registered and GPU device requests reach the stand-in hook), vfs storage, no iptables.
#
# Sourced by testing/run-tests.sh for its functions; run directly by tests that stop and start the engine under
# a running portal:  testing/dockerd.sh stop | start | restart
# It only ever stops an engine it started itself (the pid in its pidfile).

DOCKERD_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${BIN:-$DOCKERD_REPO/testing/bin}"
type say >/dev/null 2>&1 || say() { printf '[dockerd] %s\n' "$*" >&2; }
type die >/dev/null 2>&1 || die() { printf '[dockerd] ERROR: %s\n' "$*" >&2; exit 1; }

ROOT="${DS01_TEST_DOCKER_ROOT:-/var/lib/ds01-test-docker}"
EXEC_ROOT="/run/ds01-test-docker"        # kept short: unix socket paths are limited to 108 bytes
PIDFILE="$ROOT/dockerd.pid"
DOCKERD_LOG="/tmp/ds01-test-dockerd.log"
SOCK="/var/run/docker.sock"
export DOCKER_HOST="${DOCKER_HOST:-unix://$SOCK}"
WAIT="${DOCKER_WAIT_SECONDS:-60}"

engine_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

our_dockerd_pid() {
  local pid
  [ -f "$PIDFILE" ] || return 1
  pid="$(cat "$PIDFILE" 2>/dev/null)" || return 1
  [ -n "$pid" ] && [ -d "/proc/$pid" ] && grep -q dockerd "/proc/$pid/comm" 2>/dev/null || return 1
  printf '%s' "$pid"
}

start_dockerd() {
  export DOCKER_HOST="unix://$SOCK"      # ours listens there, whatever DOCKER_HOST said before
  mkdir -p "$ROOT/data" "$EXEC_ROOT"
  say "starting dockerd (vfs storage, no iptables, state in $ROOT, log $DOCKERD_LOG)"
  # testing/bin FIRST on PATH: dockerd looks for nvidia-container-runtime-hook once, at start,
  # and registers its "nvidia" device driver only if it finds it.
  # The engine outlives this script: it must not keep open what we were given, above all the lock file a
  # caller holds through `flock /tmp/ds01-tests.lock ...`, or the lock stays taken as long as dockerd runs.
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd="${fd##*/}"
      if [ "$fd" -gt 2 ] 2>/dev/null; then exec {fd}>&-; fi
    done
    PATH="$BIN:$PATH" exec setsid dockerd \
        --storage-driver=vfs \
        --iptables=false \
        --data-root="$ROOT/data" \
        --exec-root="$EXEC_ROOT" \
        --pidfile="$PIDFILE" \
        --host="unix://$SOCK" \
        </dev/null >>"$DOCKERD_LOG" 2>&1
  ) &
  local waited=0
  until engine_answers; do
    if ! kill -0 $! 2>/dev/null; then
      say "dockerd exited; last lines of $DOCKERD_LOG:"; tail -n 30 "$DOCKERD_LOG" >&2 || true
      die "dockerd did not start"
    fi
    if [ "$waited" -ge "$WAIT" ]; then
      say "last lines of $DOCKERD_LOG:"; tail -n 30 "$DOCKERD_LOG" >&2 || true
      die "the Docker engine did not answer on $SOCK within ${WAIT}s"
    fi
    sleep 1; waited=$((waited + 1))
  done
  say "dockerd answers after ${waited}s (pid $(cat "$PIDFILE" 2>/dev/null || echo ?))"
}

stop_our_dockerd() {
  local pid; pid="$(our_dockerd_pid)" || return 0
  say "stopping the dockerd we started (pid $pid)"
  kill "$pid"
  for _ in $(seq 1 30); do [ -d "/proc/$pid" ] || return 0; sleep 1; done
  die "dockerd (pid $pid) did not stop within 30s"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    stop)    our_dockerd_pid >/dev/null || die "the engine on $SOCK was not started by this script; not stopping it"
             stop_our_dockerd ;;
    start)   engine_answers || start_dockerd ;;
    restart) our_dockerd_pid >/dev/null || die "the engine on $SOCK was not started by this script; not restarting it"
             stop_our_dockerd; start_dockerd ;;
    *)       echo "usage: $0 stop|start|restart" >&2; exit 2 ;;
  esac
fi
