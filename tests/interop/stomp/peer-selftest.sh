#!/usr/bin/env bash
# The broker and the stomp.py peer work end to end, before anything of Sealscope is put between them.
#
# Usage: bash tests/interop/stomp/peer-selftest.sh
#
# Installs stomp.py (scripts/broker/python-deps.sh), starts the broker (scripts/broker/start.sh,
# reused if already up; stopped again at the end only if this script started it), then over plain
# STOMP and, if the broker has it, STOMP over TLS: peer.py sends 3 files (text, a binary with NUL
# bytes, 200 KiB of random bytes) to a fresh queue and peer.py receives them; the SHA-256 of each
# received body must equal the sent file's, in order, and a header given with --header must come
# back. Then the queue must be empty (the ACKs took), and a wrong passcode must be refused.
# PYTHON=... picks the interpreter (default python3).
# Ends with the plain 'N passed, N failed' line; exit status non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../../.."

BROKER_DIR=${BROKER_DIR:-$PWD/target/broker}
export BROKER_DIR
peer=tests/interop/stomp/peer.py
PYTHON=${PYTHON:-python3}
export PYTHON

bash scripts/broker/python-deps.sh

was_running=0
if [[ -f $BROKER_DIR/broker.pid ]] && kill -0 "$(cat "$BROKER_DIR/broker.pid")" 2>/dev/null; then
    was_running=1
fi
work=$(mktemp -d)
cleanup() {
    rm -rf "$work"
    if [[ $was_running == 0 ]]; then
        bash scripts/broker/stop.sh || true
    fi
}
trap cleanup EXIT
bash scripts/broker/start.sh >/dev/null
set -a
# shellcheck disable=SC1091
source "$BROKER_DIR/broker.env"
set +a

printf 'Content-Type: text/plain\r\n\r\nhello from peer-selftest\r\n' >"$work/1-text.eml"
printf 'binary\0with\0\0NUL bytes\n\0\r\n\0' >"$work/2-nul.bin"
head -c 204800 /dev/urandom >"$work/3-random.bin"
files=("$work/1-text.eml" "$work/2-nul.bin" "$work/3-random.bin")

passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }

roundtrip() {
    local name=$1 url=$2 queue out i want got
    queue=/queue/sealscope.selftest.$name.$$.$RANDOM
    out=$work/out-$name
    if ! timeout 60 "$PYTHON" "$peer" send --url "$url" --destination "$queue" \
        --header x-sealscope-test:"$name" "${files[@]}"; then
        bad "$name: send"
        return
    fi
    if ! timeout 60 "$PYTHON" "$peer" receive --url "$url" --destination "$queue" \
        --count "${#files[@]}" --out "$out" --timeout 20; then
        bad "$name: receive"
        return
    fi
    for i in "${!files[@]}"; do
        want=$(sha256sum <"${files[$i]}" | cut -d' ' -f1)
        got=$(printf '%s/%03d.body' "$out" $((i + 1)))
        got=$(sha256sum <"$got" | cut -d' ' -f1)
        if [[ $want == "$got" ]]; then
            ok "$name: $(basename "${files[$i]}") came back byte for byte"
        else
            bad "$name: $(basename "${files[$i]}") sha256 $got, sent $want"
        fi
    done
    if "$PYTHON" -c 'import json, sys; h = json.load(open(sys.argv[1])); sys.exit(h.get("x-sealscope-test") != sys.argv[2])' \
        "$out/001.headers" "$name"; then
        ok "$name: custom header delivered"
    else
        bad "$name: custom header missing from $out/001.headers"
    fi
    if timeout 30 "$PYTHON" "$peer" receive --url "$url" --destination "$queue" --count 1 \
        --out "$out-again" --timeout 2 >/dev/null 2>&1; then
        bad "$name: queue not empty after ACKs"
    else
        ok "$name: queue empty after ACKs"
    fi
}

roundtrip plain "$STOMP_URL"
if [[ -n ${STOMP_TLS_URL:-} ]]; then
    roundtrip tls "$STOMP_TLS_URL"
fi
if STOMP_PASSCODE="wrong-$STOMP_PASSCODE" timeout 30 "$PYTHON" "$peer" send --url "$STOMP_URL" \
    --destination /queue/sealscope.selftest.denied "${files[0]}" >/dev/null 2>&1; then
    bad "a wrong passcode was accepted"
else
    ok "a wrong passcode is refused"
fi

echo "stomp-selftest: $passed passed, $failed failed"
[[ $failed == 0 ]]
