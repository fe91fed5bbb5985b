#!/usr/bin/env bash
# Opens the real desktop window under Xvfb with fixtures given on the command line, checks
# its title names the file, and saves screenshots under target/screenshots/.
# Usage: scripts/desktop-screenshot.sh [path to the sealscope binary]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/debug/sealscope}
out=target/screenshots
mkdir -p "$out"
if ! command -v Xvfb >/dev/null || ! command -v import >/dev/null; then
    echo "desktop screenshot skipped: Xvfb or ImageMagick's import is not installed" >&2
    exit 0
fi
display=":$((90 + RANDOM % 100))"
Xvfb "$display" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
app=""
home=$(mktemp -d)
cleanup() {
    [[ -n $app ]] && kill "$app" 2>/dev/null || true
    kill "$xvfb" 2>/dev/null || true
    rm -rf "$home"
}
trap cleanup EXIT
for _ in $(seq 50); do
    DISPLAY=$display xdpyinfo >/dev/null 2>&1 && break
    sleep 0.2
done

shoot() { # shoot NAME EXPECTED_TITLE FILE…
    local name=$1 title=$2
    shift 2
    # A fresh HOME: no settings from earlier runs.
    HOME=$home XDG_DATA_HOME=$home/.local/share DISPLAY=$display WAYLAND_DISPLAY= \
        "$bin" "$@" >"$out/$name.log" 2>&1 &
    app=$!
    local seen=""
    for _ in $(seq 150); do
        if DISPLAY=$display xwininfo -root -tree 2>/dev/null | grep -F -q "\"$title\""; then
            seen=yes
            break
        fi
        kill -0 "$app" 2>/dev/null || break
        sleep 0.2
    done
    if [[ -z $seen ]]; then
        echo "the window titled \"$title\" did not appear; its log:" >&2
        cat "$out/$name.log" >&2
        exit 1
    fi
    sleep 2 # let it finish inspecting and draw
    DISPLAY=$display import -window root "$out/$name.png"
    kill "$app"
    wait "$app" 2>/dev/null || true
    app=""
    echo "desktop: window \"$title\" shown; screenshot $out/$name.png"
}

shoot desktop-signed "Sealscope — rsa-sha256.eml" tests/fixtures/messages/rsa-sha256.eml
shoot desktop-folder "Sealscope — bc-gcm.der" tests/fixtures/encrypted
# The answer first: a failing message's banner (decisive reason, explainer, next step).
shoot desktop-banner-invalid "Sealscope — tampered-content.eml" tests/fixtures/messages/tampered-content.eml
shoot desktop-banner-warning "Sealscope — rsa-untrusted.eml" tests/fixtures/messages/rsa-untrusted.eml
