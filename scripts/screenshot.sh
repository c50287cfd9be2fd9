#!/usr/bin/env bash
# Screenshots of the governance pack for the docs, taken with headless Chromium.
#
#   scripts/screenshot.sh install              install Chromium (Debian package) if it is missing
#   scripts/screenshot.sh take [SITE] [OUT]    screenshot SITE/index.html and one mart page of
#                                              the pack into OUT as PNGs (installs Chromium first)
#
# SITE defaults to site/governance (written by `make build` or `make governance`), OUT to docs/img.
# SCREENSHOT_MART picks the mart page (default mart_homelessness_risk: its lineage graph shows
# declared column lineage). CHROMIUM names the browser binary if it is not on PATH.
# Installing needs root, or sudo without a password prompt.
set -euo pipefail

MART="${SCREENSHOT_MART:-mart_homelessness_risk}"
WIDTH=1460
# Heights crop each page to what the docs show: the index's overview, marts table and purpose
# check; the mart page's purpose, legal basis and lineage graph. The rest is in the pack.
INDEX_HEIGHT=2070
MART_HEIGHT=1480

die() { echo "screenshot.sh: $*" >&2; exit 1; }

browser() {
    local b
    for b in "${CHROMIUM:-}" chromium chromium-browser; do
        if [[ -n "$b" ]] && command -v "$b" >/dev/null 2>&1; then command -v "$b"; return 0; fi
    done
    return 1
}

# Run a command as root: directly, or through sudo when it needs no password.
as_root() {
    if [[ "$(id -u)" == 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        die "Chromium not found and not root (nor passwordless sudo): install the 'chromium' package"
    fi
}

install() {
    if browser >/dev/null; then return 0; fi
    command -v apt-get >/dev/null || die "Chromium not found and no apt-get"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || true
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
        || die "apt-get install chromium failed"
    browser >/dev/null || die "installed chromium but found no chromium binary"
}

# One page, one PNG; a throw-away profile so that nothing is left in the user's home.
shoot() {
    local url="$1" png="$2" height="$3" bin profile
    bin="$(browser)"
    profile="$(mktemp -d)"
    # --no-sandbox: Chromium refuses to run as root with its sandbox, and containers often lack
    # the namespaces it needs; it only opens our own local files here.
    "$bin" --headless=new --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
        --user-data-dir="$profile" --force-device-scale-factor=1 \
        --window-size="$WIDTH,$height" --screenshot="$png" "$url" >/dev/null 2>&1 \
        || { rm -rf "$profile"; die "chromium failed on $url"; }
    rm -rf "$profile"
    [[ -s "$png" ]] || die "chromium wrote no screenshot for $url"
    echo "$png"
}

take() {
    local site="${1:-site/governance}" out="${2:-docs/img}"
    [[ -f "$site/index.html" ]] \
        || die "no governance pack in $site: run 'make build' (or 'make governance') first"
    [[ -f "$site/marts/$MART.html" ]] || die "no page for mart $MART in $site/marts"
    install
    mkdir -p "$out"
    site="$(cd "$site" && pwd)"
    shoot "file://$site/index.html" "$out/governance-index.png" "$INDEX_HEIGHT"
    shoot "file://$site/marts/$MART.html" "$out/governance-mart.png" "$MART_HEIGHT"
}

cmd="${1:-}"
case "$cmd" in
    install) install ;;
    take) [[ $# -le 3 ]] || die "usage: $0 take [SITE] [OUT]"; take "${2:-}" "${3:-}" ;;
    *) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; [[ -z "$cmd" || "$cmd" == -h || "$cmd" == --help ]] ;;
esac
