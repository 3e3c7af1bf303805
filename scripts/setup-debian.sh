#!/usr/bin/env bash
# Installs everything preflight and its test suite need on a fresh Debian machine (run as root).
# Idempotent: packages already present are skipped, so repeated runs cost a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

# Tools the scan reads evidence with (arping: the wire-level duplicate-IP test), the lab (namespaces, sshd),
# the browser the HTML tests use, tmux (plays the person at the terminal in the walkthrough test) and busybox
# (its ash runs the remote carrier script as a small Dom0 shell would).
packages=(iproute2 ethtool iputils-ping iputils-arping procps kmod iptables dmidecode pciutils openssh-server openssh-client chromium tmux busybox)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci is exact and fast when node_modules already matches the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run --silent build
