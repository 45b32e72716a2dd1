#!/usr/bin/env bash
# Installs headless Chromium and its chromedriver from Debian's packages when either is missing: the web console's
# browser test (snowpack-examples, ConsoleBrowserTest) drives them. Needs root (apt-get); without root it only says
# what is missing, and the browser test then skips with the same advice.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "install-browser: chromium or chromedriver is missing; as root run: apt-get install -y chromium chromium-driver" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
echo "install-browser: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) and $(/usr/bin/chromedriver --version | head -1) installed"
