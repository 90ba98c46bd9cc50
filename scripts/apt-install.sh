#!/usr/bin/env bash
# Installs Debian packages (root): scripts/apt-install.sh [apt-get install options] package...
# npm test installs Chromium and the queue-mode services at the same time, and two apt-get runs at
# once fail on apt's locks ("Could not get lock /var/lib/apt/lists/lock": DPkg::Lock::Timeout covers
# only dpkg's lock, which install still waits out). So every install of the project's takes this one
# lock, one after the other, and the package lists are fetched once for them all.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
exec 9>/var/lock/n8n-nodes-messenger-send-apt.lock
flock 9
fetched=/var/lock/n8n-nodes-messenger-send-apt.fetched
if [ -z "$(find "$fetched" -mmin -60 2>/dev/null)" ]; then
	apt-get update -qq
	touch "$fetched"
fi
apt-get -o DPkg::Lock::Timeout=300 install -y -qq "$@" >/dev/null
