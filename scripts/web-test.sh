#!/usr/bin/env bash
# The browser inspector's tests: build the page, then (1) the wasm API gives byte-identical
# reports to the native CLI and its compositions pass OpenSSL, (2) end to end in headless
# Chromium (screenshots in target/screenshots/), (3) the PKI.js benchmark.
# Usage: scripts/web-test.sh [path to a built sealscope binary]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/debug/sealscope}
[[ -x "$bin" ]] || cargo build -q -p sealscope
bash scripts/web-build.sh
node tests/browser/api-agreement.mjs "$bin" target/web-dist/pkg
# The TypeScript declarations of the package type-check a portal's use of them.
tests/browser/node_modules/.bin/tsc --noEmit --strict --target es2022 --module es2022 --moduleResolution bundler --lib es2022,esnext.disposable,dom tests/browser/types-check.ts
echo "types-check.ts: the package's TypeScript declarations type-check (tsc --strict)"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium} node tests/browser/e2e.mjs target/web-dist "$bin"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium} node tests/browser/bench.mjs target/web-dist "$bin" | tee target/web-bench.txt
