#!/usr/bin/env bash
# Runs every libFuzzer target for a bounded time, each seeded with the committed fixtures.
#
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# SECONDS_PER_TARGET defaults to 10 (the smoke pass of the test command); a long run is, say,
# `bash scripts/fuzz.sh 600`. Corpora grow in target/fuzz/corpus/<target> (kept between runs),
# crashing inputs land in target/fuzz/artifacts/<target>/ and the script fails naming them.
# Copy a crash into tests/fixtures/fuzz-regressions/<target>/ once it is fixed: the
# robustness tests run every file there. A summary table (target, seconds, executions,
# executions per second, corpus entries, coverage, result) is written to
# target/fuzz/summary.tsv and printed.
#
# cargo-fuzz passes sanitizer flags that only a nightly compiler accepts; RUSTC_BOOTSTRAP=1
# lets the machine's stable toolchain take them. cargo-fuzz is installed when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-10}
shift || true
CARGO_FUZZ_VERSION=0.13.2

if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
    cargo install --locked --quiet cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi

all_targets=$(cd fuzz && sed -n 's/^name = "\(.*\)"/\1/p' Cargo.toml | grep -v '^sealscope-fuzz$')
targets=${*:-$all_targets}

fx=tests/fixtures
# Seeds: the fixture files each entry point is meant to read.
seeds() {
    case "$1" in
    inspect) find $fx/messages $fx/encrypted $fx/unreadable $fx/profiles $fx/ieee1609 \
        $fx/ieee1609-public -type f ! -name '*.md' ! -name '*.tsv' ! -name '*.py' ! -name '*.sh' ;;
    cms_structure | signed_data | asn1_normalise)
        find $fx/messages $fx/encrypted $fx/pki -type f \( -name '*.der' -o -name '*.p7s' \
            -o -name '*.p7m' -o -name '*.p12' \) ;;
    pem_base64) find $fx -type f \( -name '*.pem' -o -name '*.b64' \) ;;
    mime_entity) find $fx/messages $fx/encrypted $fx/profiles -type f -name '*.eml' ;;
    certificate_crl) find $fx/pki -type f \( -name '*.pem' -o -name '*.der' \) ;;
    keys) find $fx/pki $fx/keys-peers -type f \( -name '*.key' -o -name '*.p12' -o -name '*.pem' -o -name '*.der' \) ;;
    stomp_frames) find $fx -type f -name '*.stomp' ;;
    http_messages) find $fx -type f -name '*.http' ;;
    ams_json) find $fx tests/interop -type f -name '*.json' ;;
    ieee1609_data) find $fx/ieee1609 $fx/ieee1609-public -type f \( -name '*.coer' -o -name '*.bin' -o -name '*.hex' \) ;;
    time_parse | elided_content) ;;
    archives) find $fx/archives -type f; find $fx -type f -name '*.jsonl' ;;
    grid_namespaces) find $fx/igtf/dist -type f \( -name '*.namespaces' -o -name '*.signing_policy' \) ;;
    *) echo "no seeds known for fuzz target $1" >&2 ;;
    esac
}

echo "building fuzz targets (release, sanitizer coverage)"
(cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz build --release)

mkdir -p target/fuzz
summary=target/fuzz/summary.tsv
printf 'target\tseconds\texecutions\texec_per_s\tcorpus\tcoverage\tresult\n' >"$summary"
failed=()
for t in $targets; do
    corpus=target/fuzz/corpus/$t
    artifacts=target/fuzz/artifacts/$t
    mkdir -p "$corpus" "$artifacts"
    while read -r f; do
        # Larger fixtures (the 1 MiB message) slow every mutation down; seed with the rest.
        [[ -n $f && $(stat -c %s "$f") -le 262144 ]] || continue
        dest="$corpus/$(basename "$(dirname "$f")")-$(basename "$f")"
        [[ -e $dest ]] || cp "$f" "$dest"
    done < <(seeds "$t")
    if [[ $t == time_parse && -z $(ls -A "$corpus") ]]; then
        printf '260601000000Z' >"$corpus/utc"
        printf '20260601000000Z' >"$corpus/generalized"
        printf '2026-06-01T00:00:00Z' >"$corpus/rfc3339"
    fi
    if [[ $t == elided_content && -z $(ls -A "$corpus") ]]; then
        # Length byte, digest choice (0 SHA-256, 1 SHA-384, 2 SHA-1), repeated content seed,
        # then (position, xor) edits around the content.
        printf '\x10\x00\xfe\x01\x02\x03\x80\x81' >"$corpus/binary"
        printf '\x10\x00line of text\n' >"$corpus/text"
        printf '\x10\x00Content-Type: text/plain\r\n\r\nhello\r\n' >"$corpus/mime"
        printf '\x10\x01\xfe\x00\x01' >"$corpus/sha384"
        printf '\x10\x00\xfe\x00\x01\x02\x00\x40\x01' >"$corpus/edited"
    fi
    if [[ $t == archives && ! -e $corpus/report-lines ]]; then
        printf '%s\n' '{"input":{"name":"a.tar!/m/a.eml"},"verdict":"invalid","findings":[{"code":"content-digest-mismatch"}]}' \
            '{"input":{"name":"b.eml"},"verdict":"valid","findings":[]}' >"$corpus/report-lines"
    fi
    log=target/fuzz/$t.log
    result=ok
    if ! (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run --release "$t" "../$corpus" -- \
        -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2560 -max_len=262144 \
        -artifact_prefix="../$artifacts/" -print_final_stats=1) >"$log" 2>&1; then
        result=crash
        failed+=("$t")
    fi
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n1 | cut -d' ' -f2)
    entries=$(find "$corpus" -type f | wc -l)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$seconds" "${execs:-?}" "${rate:-?}" "$entries" "${cov:-?}" "$result" >>"$summary"
    if [[ $result != ok ]]; then
        grep -E 'panicked|ERROR: libFuzzer|SUMMARY|Test unit written' "$log" | head -n 8 >&2
    fi
done
column -t -s $'\t' "$summary"
if [[ ${#failed[@]} -gt 0 ]]; then
    echo "fuzz targets that failed: ${failed[*]} (logs in target/fuzz/<target>.log, inputs in target/fuzz/artifacts/)" >&2
    exit 1
fi
