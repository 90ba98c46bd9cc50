#!/usr/bin/env bash
# The editor tests drive Debian's Chromium with playwright-core (no browser download).
# Installs it when missing; needs root, as on CI and the developers' machines.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
	echo "Chromium is missing: run 'sudo apt-get update && sudo apt-get install -y chromium'" >&2
	exit 1
fi
echo "Installing Debian's chromium for the editor tests..." >&2
bash "$(dirname "$0")/apt-install.sh" chromium
