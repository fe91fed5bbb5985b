# apt_install PKG…: installs the Debian packages that are missing (with sudo when not root),
# retrying a failed download. Sourced by the test and benchmark scripts.
apt_install() {
    local missing=()
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    # apt occasionally fails once on a fetched archive: retry.
    for attempt in 1 2 3; do
        if $sudo apt-get update -qq &&
            $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; then
            return 0
        fi
        echo "apt-get failed (attempt $attempt), retrying" >&2
        sleep 5
    done
    return 1
}
