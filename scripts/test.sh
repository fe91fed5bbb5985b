#!/usr/bin/env bash
# The whole test suite, from a fresh machine of the project's kind (Debian, rustup Rust).
# Installs what it needs first: the OpenSSL CLI (interop peer), the other fixture signers
# (a JDK with the BouncyCastle jars, python3 cryptography, python dirq for SSM queues), EMI
# caNl (grid namespace verdicts), the STOMP peers (Debian's ActiveMQ broker, PyPI stomp.py), rustfmt and clippy, the
# wasm32-unknown-unknown target, and the browser tool chain: trunk and wasm-bindgen-cli
# (cargo install, pinned), npm's binaryen (wasm-opt), playwright-core and pkijs, Debian's
# chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

# One clean build, not a cache for later edits: incremental state would only take disk.
export CARGO_INCREMENTAL=0

# shellcheck source=scripts/apt.sh
source scripts/apt.sh

step "installing test prerequisites"
apt_install openssl libssl-dev pkg-config default-jdk-headless libbcprov-java libbcutil-java libbcpkix-java libbcjmail-java libcanl-java libcommons-io-java
# pyca/cryptography signs fixtures too; PKCS#7 RSA-PSS (rsa_padding) needs a recent release.
python3 -c 'import inspect; from cryptography.hazmat.primitives.serialization import pkcs7
assert "rsa_padding" in inspect.signature(pkcs7.PKCS7SignatureBuilder.add_signer).parameters' 2>/dev/null ||
    python3 -m pip install --upgrade cryptography
# APEL SSM's directory queues are made with the real python-dirq library.
python3 -c 'import dirq' 2>/dev/null ||
    python3 -m pip install -q dirq==1.8 ||
    python3 -m pip install -q --user --break-system-packages dirq==1.8
# asn1tools encodes the IEEE 1609.2 / SCMS vectors independently of sealscope.
python3 -c 'import asn1tools' 2>/dev/null ||
    python3 -m pip install -q asn1tools==0.169.0 ||
    python3 -m pip install -q --user --break-system-packages asn1tools==0.169.0
# stomp.py, the independent STOMP client of the broker round trips.
bash scripts/broker/python-deps.sh
rustup component add rustfmt clippy >/dev/null 2>&1 || true
rustup target add wasm32-unknown-unknown
openssl version
# The browser inspector: headless Chromium, Node for playwright-core, and the pinned tools.
apt_install chromium
# The desktop window is opened for real under Xvfb and photographed with ImageMagick.
apt_install xvfb imagemagick xauth x11-utils
command -v node >/dev/null || apt_install nodejs
command -v npm >/dev/null || apt_install npm
bash scripts/web-tools.sh

step "formatting"
cargo fmt --all --check

step "clippy"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p sealscope-tests --features openssl --all-targets -- -D warnings

step "core and wasm crates build for wasm32-unknown-unknown"
cargo build -p sealscope-core -p sealscope-wasm --target wasm32-unknown-unknown

step "fixture generator still works (run in a scratch copy, compared by name)"
scratch=$(mktemp -d)
cleanup() {
    rm -rf "$scratch"
    bash scripts/broker/stop.sh >/dev/null 2>&1 || true
}
trap cleanup EXIT
mkdir -p "$scratch/tests"
cp -r tests/fixtures "$scratch/tests/fixtures"
(cd "$scratch/tests/fixtures" && bash generate.sh >"$scratch/generate.log" 2>&1) || {
    cat "$scratch/generate.log"
    exit 1
}
diff <(cd tests/fixtures && find . -type f | sort) <(cd "$scratch/tests/fixtures" && find . -type f | sort)
diff tests/fixtures/MANIFEST.tsv "$scratch/tests/fixtures/MANIFEST.tsv"

step "path-validation suite generator still works (scratch copy, same cases and answers)"
cp -r tests/fixtures/pathval "$scratch/pathval"
python3 "$scratch/pathval/generate.py" >"$scratch/pathval.log" 2>&1 || {
    cat "$scratch/pathval.log"
    exit 1
}
diff tests/fixtures/pathval/CASES.tsv "$scratch/pathval/CASES.tsv"
diff <(cd tests/fixtures/pathval && find . -type f | sort) <(cd "$scratch/pathval" && find . -type f | sort)

step "starting a real STOMP broker (ActiveMQ) on 127.0.0.1"
bash scripts/broker/start.sh >/dev/null
set -a
# shellcheck disable=SC1091
source target/broker/broker.env
set +a

step "tests (including the side-by-side agreement with openssl cms -verify and the broker round trips)"
SEALSCOPE_REQUIRE_OPENSSL=1 SEALSCOPE_REQUIRE_BROKER=1 SEALSCOPE_REQUIRE_ASN1TOOLS=1 cargo test --workspace -- --show-output

step "Wireshark's ieee1609dot2 dissector agrees with the IEEE 1609.2 vectors"
if ! command -v tshark >/dev/null; then
    sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    echo 'wireshark-common wireshark-common/install-setuid boolean false' | $sudo debconf-set-selections
    apt_install tshark
fi
bash tests/fixtures/ieee1609/tshark_check.sh >target/tshark-agreement.md
tail -n 3 target/tshark-agreement.md

step "BouncyCastle accepts what sealscope composes"
cargo build -q -p sealscope
bash tests/interop/bc-accepts-compose.sh target/debug/sealscope

step "EMI caNl gives the IGTF namespace verdicts the tests hold sealscope to"
bash tests/fixtures/igtf/canl_check.sh

step "browser inspector: trunk build, wasm API agreement, Chromium end to end, PKI.js benchmark"
cargo build -q -p sealscope
bash scripts/web-test.sh target/debug/sealscope

step "desktop window under Xvfb: opens the files given on the command line (screenshots)"
bash scripts/desktop-screenshot.sh target/debug/sealscope

step "fuzz smoke pass: every libFuzzer target for 10 s, seeded with the fixtures"
bash scripts/fuzz.sh 10

step "benchmarks compile (with OpenSSL in-process beside sealscope)"
cargo bench -p sealscope-tests --features openssl --benches --no-run

step "disk used by the build"
du -sh target fuzz/target 2>/dev/null || true
