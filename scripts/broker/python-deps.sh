#!/usr/bin/env bash
# Install the Python STOMP client used by tests/interop/stomp/peer.py (idempotent).
#   PyPI stomp-py (import name `stomp`), pinned; it pulls docopt-ng and websocket-client.
# Uses the `python3` on PATH (PYTHON=... to override). Plain `pip install` first (works for a
# pyenv/venv Python); if pip refuses because Debian marks its Python "externally managed"
# (PEP 668), falls back to `--user --break-system-packages`.
set -euo pipefail

PYTHON=${PYTHON:-python3}
STOMP_PY_VERSION=${STOMP_PY_VERSION:-9.0.0}

have() {
    "$PYTHON" - "$STOMP_PY_VERSION" <<'EOF' 2>/dev/null
import sys
from importlib.metadata import version
import stomp  # noqa: F401
sys.exit(0 if version("stomp.py") == sys.argv[1] else 1)
EOF
}

if have; then
    echo "[python-deps] stomp.py $STOMP_PY_VERSION already installed for $("$PYTHON" -c 'import sys; print(sys.executable)')" >&2
    exit 0
fi

if ! "$PYTHON" -m pip --version >/dev/null 2>&1; then
    sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    for attempt in 1 2 3; do
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
            $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip && break
        echo "[python-deps] apt-get failed (attempt $attempt), retrying" >&2
        sleep 5
    done
fi

spec="stomp-py==$STOMP_PY_VERSION"
pip=("$PYTHON" -m pip install --disable-pip-version-check --no-input -q --no-warn-script-location --root-user-action=ignore)
for attempt in 1 2 3; do
    if out=$("${pip[@]}" "$spec" 2>&1); then
        break
    elif grep -q externally-managed-environment <<<"$out"; then
        echo "[python-deps] externally managed Python: installing with --user --break-system-packages" >&2
        "${pip[@]}" --user --break-system-packages "$spec" && break
    else
        printf '%s\n' "$out" >&2
    fi
    echo "[python-deps] pip failed (attempt $attempt), retrying" >&2
    sleep 3
done

have || { echo "[python-deps] ERROR: stomp.py $STOMP_PY_VERSION not importable by $PYTHON" >&2; exit 1; }
echo "[python-deps] stomp.py $STOMP_PY_VERSION installed" >&2
