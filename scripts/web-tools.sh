#!/usr/bin/env bash
# Installs the browser inspector's build and test tools when missing (no downloads outside
# the package registries): the wasm32-unknown-unknown target, wasm-bindgen-cli equal to the wasm-bindgen crate, trunk 0.21
# (0.22 needs a newer rustc), and tests/browser's npm packages (binaryen's wasm-opt,
# playwright-core, pkijs, typescript) from its lock file.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

# The engine is built for wasm32-unknown-unknown: add the target when it is missing.
if command -v rustup >/dev/null && ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    rustup target add wasm32-unknown-unknown
fi

WASM_BINDGEN=0.2.129
TRUNK=0.21.14
if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN" ]]; then
    cargo install --locked wasm-bindgen-cli --version "$WASM_BINDGEN"
fi
if [[ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK" ]]; then
    cargo install --locked trunk --version "$TRUNK"
fi
# npm ci again whenever the lock file changed since the last install.
stamp=tests/browser/node_modules/.sealscope-lock.sha256
want=$(sha256sum tests/browser/package-lock.json | cut -d' ' -f1)
if [[ ! -f $stamp || "$(cat "$stamp")" != "$want" ]]; then
    (cd tests/browser && npm ci --no-audit --no-fund)
    echo "$want" >"$stamp"
fi
