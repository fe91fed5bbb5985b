#!/usr/bin/env bash
# Stop the broker scripts/broker/start.sh started for $BROKER_DIR (default: <repo>/target/broker).
# SIGTERM (ActiveMQ shuts down cleanly), a bounded wait, then SIGKILL. Only ever signals the pid
# in $BROKER_DIR/broker.pid, and only if that process is the ActiveMQ JVM of this BROKER_DIR.
# Exits 0 when no broker of ours is running afterwards (including when none was).
#   BROKER_STOP_TIMEOUT  seconds to wait after SIGTERM (default: 20)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BROKER_DIR=${BROKER_DIR:-$repo/target/broker}
BROKER_STOP_TIMEOUT=${BROKER_STOP_TIMEOUT:-20}
log() { printf '[broker] %s\n' "$*" >&2; }

if [[ ! -d $BROKER_DIR ]]; then
    log "no broker dir $BROKER_DIR: nothing to stop"
    exit 0
fi
BROKER_DIR=$(cd "$BROKER_DIR" && pwd)
pidfile=$BROKER_DIR/broker.pid
instance=$BROKER_DIR/instance

ours() {
    kill -0 "$1" 2>/dev/null &&
        tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | grep -qxF -- "-Dactivemq.base=$instance"
}

pid=""
[[ -f $pidfile ]] && pid=$(<"$pidfile")
if [[ ! $pid =~ ^[0-9]+$ ]] || ! ours "$pid"; then
    log "no broker of ours running for $BROKER_DIR"
    rm -f "$pidfile" "$BROKER_DIR/broker.env"
    exit 0
fi

log "stopping ActiveMQ (pid $pid)"
kill -TERM "$pid" 2>/dev/null || true
deadline=$((SECONDS + BROKER_STOP_TIMEOUT))
while ours "$pid" && ((SECONDS < deadline)); do
    sleep 0.2
done
if ours "$pid"; then
    log "still running after ${BROKER_STOP_TIMEOUT} s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
        ours "$pid" || break
        sleep 0.1
    done
fi
if ours "$pid"; then
    log "ERROR: pid $pid would not die"
    exit 1
fi
rm -f "$pidfile" "$BROKER_DIR/broker.env"
log "stopped"
