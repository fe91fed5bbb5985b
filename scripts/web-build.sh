#!/usr/bin/env bash
# Builds the browser inspector into target/web-dist (the page, sealscope-engine.js and the
# pkg/ ES module package for portals) and prints the gzipped sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/web-tools.sh
export PATH="$PWD/tests/browser/node_modules/.bin:$HOME/.cargo/bin:$PATH"
trunk build --release --config trunk.toml
dist=target/web-dist
gz() { gzip -9c "$1" | wc -c; }
page=0
for f in index.html sealscope-engine.js sealscope-inspector.js sealscope-inspector.css; do
    page=$((page + $(gz "$dist/$f")))
done
printf 'sizes (gzip -9): page total %d bytes (%s KiB) = index.html + sealscope-engine.js (wasm inlined) + sealscope-inspector.js + .css; pkg/sealscope-wasm_bg.wasm %d bytes raw, %d gzipped\n' \
    "$page" "$((page / 1024))" "$(stat -c %s "$dist/pkg/sealscope-wasm_bg.wasm")" "$(gz "$dist/pkg/sealscope-wasm_bg.wasm")"
limit=$((1536 * 1024))
if ((page > limit)); then
    echo "the page is $page bytes gzipped, over the 1.5 MiB budget" >&2
    exit 1
fi
