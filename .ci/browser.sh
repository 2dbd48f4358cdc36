#!/usr/bin/env bash
# Makes Debian's headless Chromium and its chromedriver available for the browser tests
# (/usr/bin/chromium, /usr/bin/chromedriver). Installs them with apt-get when absent; safe to run again.
set -euo pipefail

log() { echo "[browser.sh] $*" >&2; }

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    log "chromium and chromedriver present"
    exit 0
fi
log "installing chromium and chromium-driver with apt-get"
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium chromium-driver
/usr/bin/chromedriver --version >&2
