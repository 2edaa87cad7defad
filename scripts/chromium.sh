#!/usr/bin/env bash
# Install Debian's chromium for the browser tests when it is missing (needs root).
# Playwright's own browser downloads are not available on our machines; the tests launch
# /usr/bin/chromium by its path.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi
echo "Chromium fehlt: installiere mit apt-get ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq chromium >&2
