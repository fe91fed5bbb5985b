#!/usr/bin/env bash
# Broker throughput: messages per second inspected by 1, 2 and 3 `sealscope listen`
# processes sharing one queue of the ActiveMQ that scripts/broker/start.sh runs on 127.0.0.1.
#
#   bash scripts/bench-broker.sh BIN OUT_DIR [MESSAGES]
#
# For each number of consumers: stomp.py sends MESSAGES copies of bench-rsa-4k.eml to a
# fresh queue; the consumers start together (prefetch 10, reports to a results queue in the
# same transaction as the ACK); stomp.py reads every report back. The rate is MESSAGES over
# the time from the consumers' start to the broker's timestamp on the last report (both
# clocks are this machine's). Writes OUT_DIR/broker.txt: one line "consumers seconds rate".
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$1
out=$2
n=${3:-2000}
fx=tests/fixtures
bash scripts/broker/start.sh >/dev/null
set -a
# shellcheck disable=SC1091
source target/broker/broker.env
set +a
export SEALSCOPE_PASSCODE=$STOMP_PASSCODE
peer=tests/interop/stomp/peer.py
files=()
for _ in $(seq 1 "$n"); do files+=("$fx/messages/bench-rsa-4k.eml"); done
: >"$out/broker.txt"
for consumers in 1 2 3; do
    q=/queue/sealscope.bench.$$.$consumers
    python3 $peer send --destination "$q" "${files[@]}" >/dev/null
    start_ms=$(date +%s%3N)
    pids=()
    for _ in $(seq 1 "$consumers"); do
        "$bin" listen "$STOMP_URL$q" --login "$STOMP_LOGIN" --prefetch 10 --reports "$q.reports" \
            --idle 3 --json --at 2027-01-01T00:00:00Z --trust $fx/pki/root-ca.pem >/dev/null 2>&1 &
        pids+=($!)
    done
    rm -rf "$out/broker-reports"
    python3 $peer receive --destination "$q.reports" --count "$n" --timeout 300 \
        --out "$out/broker-reports" >/dev/null
    for p in "${pids[@]}"; do wait "$p" || true; done
    last_ms=$(python3 -c '
import glob, json, sys
print(max(int(json.load(open(f))["timestamp"]) for f in glob.glob(sys.argv[1] + "/*.headers")))' "$out/broker-reports")
    python3 -c 'import sys; c, n, a, b = map(int, sys.argv[1:]); s = (b - a) / 1000; print(c, "%.3f" % s, "%.0f" % (n / s))' \
        "$consumers" "$n" "$start_ms" "$last_ms" | tee -a "$out/broker.txt"
done
