#!/usr/bin/env bash
# Every performance figure of docs/performance.md, side by side with OpenSSL (and PKI.js in
# Chromium), in one run on this machine. Writes target/bench/results.md and prints it.
#
#   bash scripts/bench.sh            # everything (about 10 to 15 minutes on 2 cores)
#   QUICK=1 bash scripts/bench.sh    # shorter criterion runs and 2,000 messages
#
# The broker row starts Debian's ActiveMQ (scripts/broker/start.sh) and uses stomp.py.
#
# Installs what it needs on a fresh Debian machine: libssl-dev and pkg-config (the openssl
# crate of the in-process benchmark), hyperfine (start-up), GNU time (peak memory).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/apt.sh
source scripts/apt.sh
apt_install openssl libssl-dev pkg-config hyperfine time
# stomp.py, for the broker row.
bash scripts/broker/python-deps.sh

out=target/bench
mkdir -p "$out"
quick=${QUICK:-}
messages=10000
crit=(--warm-up-time 2 --measurement-time 5)
if [[ -n $quick ]]; then
    messages=2000
    crit=(--warm-up-time 1 --measurement-time 2)
fi

echo "== machine"
{
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "cores: $(nproc)"
    echo "memory: $(free -g | awk '/Mem:/{print $2}') GiB"
    echo "kernel: $(uname -r)"
    echo "rustc: $(rustc --version)"
    echo "openssl: $(openssl version)"
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
} | tee "$out/machine.txt"

echo "== in-process: sealscope and OpenSSL (criterion)"
cargo bench -p sealscope-tests --features openssl --bench compare -- "${crit[@]}" 2>&1 |
    grep -E '^(verify|decrypt|ieee)|time:' | tee "$out/criterion.txt"

echo "== release binary"
cargo build --release -q -p sealscope
bin=target/release/sealscope
fx=tests/fixtures
at=2027-01-01T00:00:00Z

echo "== 100 MiB signed message: throughput and peak memory"
big=$out/big-100m.der
if [[ ! -s $big ]]; then
    head -c $((100 * 1024 * 1024)) /dev/urandom >"$out/big-100m.bin"
    openssl cms -sign -binary -nodetach -md sha256 -in "$out/big-100m.bin" \
        -signer $fx/pki/signer-rsa.pem -inkey $fx/pki/signer-rsa.key -certfile $fx/pki/inter-ca.pem \
        -outform DER -out "$big"
    rm -f "$out/big-100m.bin"
fi
# Warm the page cache; one run for the report and peak memory, then the median of ten timed
# runs (this host's speed drifts by 10-20 % from minute to minute; OpenSSL's figure follows
# straight after).
cat "$big" >/dev/null
/usr/bin/time -f '%M' -o "$out/time.txt" "$bin" inspect --json --at "$at" \
    --trust $fx/pki/root-ca.pem "$big" >"$out/big-report.json"
grep -q '"verdict":"valid"' "$out/big-report.json" || { echo "the 100 MiB message did not verify" >&2; exit 1; }
hyperfine -N --warmup 2 --runs 10 --export-json "$out/big.json" \
    "$bin inspect --json --at $at --trust $fx/pki/root-ca.pem $big" >/dev/null
secs=$(python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$out/big.json")
echo "$secs $(cat "$out/time.txt") $(stat -c %s "$big")" >"$out/big.txt"
openssl speed -seconds 3 -bytes 16384 sha256 2>/dev/null | tail -n 1 >"$out/openssl-sha256.txt"
cat "$out/big.txt" "$out/openssl-sha256.txt"

echo "== 100 MiB detached: inspect --content against openssl dgst -sha256 of the same file"
bigc=$out/big-100m-content.bin
if [[ ! -s $bigc || ! -s $out/big-100m-detached.p7s ]]; then
    head -c $((100 * 1024 * 1024)) /dev/urandom >"$bigc"
    openssl cms -sign -binary -md sha256 -in "$bigc" -outform DER \
        -signer $fx/pki/signer-rsa.pem -inkey $fx/pki/signer-rsa.key -certfile $fx/pki/inter-ca.pem \
        -out "$out/big-100m-detached.p7s"
fi
cat "$bigc" >/dev/null
/usr/bin/time -f '%M' -o "$out/time.txt" "$bin" inspect --json --at "$at" \
    --trust $fx/pki/root-ca.pem --content "$bigc" "$out/big-100m-detached.p7s" >"$out/detached-report.json"
grep -q '"verdict":"valid"' "$out/detached-report.json" || { echo "the detached signature did not verify" >&2; exit 1; }
hyperfine -N --warmup 2 --runs 10 --export-json "$out/detached.json" \
    "$bin inspect --json --at $at --trust $fx/pki/root-ca.pem --content $bigc $out/big-100m-detached.p7s" \
    "openssl dgst -sha256 $bigc" >/dev/null
medians=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print("%.4f %.4f" % (r[0]["median"], r[1]["median"]))' \
    "$out/detached.json")
echo "$medians $(cat "$out/time.txt") $(stat -c %s "$bigc")" | tee "$out/detached.txt"

echo "== how cost grows with input size (opaque SignedData, RSA-2048; mean of 10 runs)"
: >"$out/scaling-size.txt"
for size in 1024 65536 1048576 16777216; do
    f=$out/signed-$size.der
    if [[ ! -s $f ]]; then
        head -c "$size" /dev/urandom >"$out/payload.bin"
        openssl cms -sign -binary -nodetach -md sha256 -in "$out/payload.bin" \
            -signer $fx/pki/signer-rsa.pem -inkey $fx/pki/signer-rsa.key -certfile $fx/pki/inter-ca.pem \
            -outform DER -out "$f"
    fi
    hyperfine -N --warmup 2 --runs 10 --export-json "$out/size.json" \
        "$bin inspect --json --at $at --trust $fx/pki/root-ca.pem $f" >/dev/null
    secs=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["mean"])' "$out/size.json")
    /usr/bin/time -f '%M' -o "$out/time.txt" "$bin" inspect --json --at "$at" \
        --trust $fx/pki/root-ca.pem "$f" >/dev/null
    echo "$size $secs $(cat "$out/time.txt")" >>"$out/scaling-size.txt"
done
echo "$(stat -c %s "$big") $(cut -d' ' -f1,2 "$out/big.txt")" >>"$out/scaling-size.txt"
cat "$out/scaling-size.txt"

echo "== $messages signed messages: 1 worker against 2"
dir=$out/messages-$messages
if [[ ! -d $dir ]]; then
    mkdir -p "$dir"
    for i in $(seq -w 1 "$messages"); do cp $fx/messages/bench-rsa-4k.eml "$dir/m$i.eml"; done
fi
hyperfine --warmup 1 --runs 3 --export-json "$out/batch.json" \
    "$bin inspect --json --at $at --trust $fx/pki/root-ca.pem --jobs 1 $dir" \
    "$bin inspect --json --at $at --trust $fx/pki/root-ca.pem --jobs 2 $dir" >/dev/null

echo "== how cost grows with the number of messages (2 workers)"
: >"$out/scaling-count.txt"
for n in 10 100 1000; do
    sub=$out/messages-first-$n
    if [[ ! -d $sub ]]; then
        mkdir -p "$sub"
        find "$dir" -type f | sort | sed -n "1,${n}p" | xargs cp -t "$sub"
    fi
    hyperfine -N --warmup 1 --runs 5 --export-json "$out/count.json" \
        "$bin inspect --json --at $at --trust $fx/pki/root-ca.pem --jobs 2 $sub" >/dev/null
    secs=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["mean"])' "$out/count.json")
    /usr/bin/time -f '%M' -o "$out/time.txt" "$bin" inspect --json --at "$at" \
        --trust $fx/pki/root-ca.pem --jobs 2 "$sub" >/dev/null
    echo "$n $secs $(cat "$out/time.txt")" >>"$out/scaling-count.txt"
done
/usr/bin/time -f '%M' -o "$out/time.txt" "$bin" inspect --json --at "$at" \
    --trust $fx/pki/root-ca.pem --jobs 2 "$dir" >/dev/null
python3 -c 'import json,re,sys; r=json.load(open(sys.argv[1]))["results"][1]; print(sys.argv[2], r["mean"], sys.argv[3])' \
    "$out/batch.json" "$messages" "$(cat "$out/time.txt")" >>"$out/scaling-count.txt"
cat "$out/scaling-count.txt"

echo "== start-up on one small file: sealscope inspect against openssl cms -verify"
small=$fx/messages/rsa-sha256.eml
hyperfine --warmup 3 --runs 50 -N --export-json "$out/startup.json" \
    "$bin inspect --at $at --trust $fx/pki/root-ca.pem $small" \
    "openssl cms -verify -CAfile $fx/pki/root-ca.pem -attime 1798761600 -in $small -out /dev/null" >/dev/null

echo "== broker throughput: 1, 2 and 3 listen processes on one ActiveMQ queue"
bash scripts/bench-broker.sh "$bin" "$out" "${BROKER_MESSAGES:-$((messages / 5))}"

echo "== browser: sealscope wasm against PKI.js in Chromium"
if [[ -f target/web-dist/pkg/sealscope-wasm_bg.wasm && -d tests/browser/node_modules ]]; then
    cargo build -q -p sealscope
    CHROMIUM=${CHROMIUM:-/usr/bin/chromium} node tests/browser/bench.mjs target/web-dist target/debug/sealscope |
        tee "$out/browser.txt"
else
    echo "(target/web-dist not built: run bash scripts/web-build.sh first)" | tee "$out/browser.txt"
fi

echo "== results"
python3 scripts/bench_report.py "$out" | tee "$out/results.md"
