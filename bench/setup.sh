#!/usr/bin/env bash
# Installs what `npm run bench` compares preflight with, idempotently:
#   - Debian packages: time (GNU time, for peak RSS), facter, ansible, libvirt-clients
#     (virt-host-validate), openssh-server and -client (the private sshd the remote parts use),
#     iproute2 (the cable lab's namespaces); hyperfine is optional (not used by run.mjs).
#   - systeminformation (npm) into bench/tmp/, never into the project's node_modules.
# Anything already installed is skipped; `apt-get update` runs at most once, and only when
# something is missing. A peer that cannot be installed is reported and the bench goes on
# (run.mjs reports that case as "not available", it never drops it silently).
#
# Usage: bash bench/setup.sh [--quiet]
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tmp="$here/tmp"
quiet=0
[ "${1:-}" = "--quiet" ] && quiet=1
say() { [ "$quiet" = 1 ] || echo "bench/setup: $*" >&2; }
warn() { echo "bench/setup: $*" >&2; }

sudo_cmd=()
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo -n); else warn "not root and no sudo: Debian peers cannot be installed"; fi
fi

# package -> a command it provides (what tells us it is installed)
declare -A provides=(
  [time]=/usr/bin/time
  [facter]=facter
  [ansible]=ansible
  [libvirt-clients]=virt-host-validate
  [openssh-server]=/usr/sbin/sshd
  [openssh-client]=ssh
  [iproute2]=ip
  [hyperfine]=hyperfine
)
# openssh-server: the private sshd of the remote, fleet, bundle and cables parts (started by the
# bench on loopback or in its own namespaces; the machine's own sshd is never used or enabled).
required=(time facter ansible libvirt-clients openssh-server openssh-client iproute2)
optional=(hyperfine)

have() { command -v "$1" >/dev/null 2>&1 || [ -x "$1" ]; }

missing=()
for p in "${required[@]}" "${optional[@]}"; do
  if have "${provides[$p]}"; then say "$p: already installed"; else missing+=("$p"); fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    warn "no apt-get: cannot install ${missing[*]}"
  else
    say "installing ${missing[*]} from Debian"
    export DEBIAN_FRONTEND=noninteractive
    if ! "${sudo_cmd[@]}" apt-get update -qq >/dev/null 2>"$tmp.apt-update.err"; then
      warn "apt-get update failed: $(tail -1 "$tmp.apt-update.err" 2>/dev/null)"
    fi
    rm -f "$tmp.apt-update.err"
    # Installing openssh-server must not start the machine's own sshd: policy-rc.d (Debian's way)
    # tells the package scripts not to start services, for the length of this install only.
    policy=/usr/sbin/policy-rc.d
    made_policy=0
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee "$policy" >/dev/null && "${sudo_cmd[@]}" chmod 755 "$policy" && made_policy=1
    fi
    for p in "${missing[@]}"; do
      # One package per call so an unavailable optional one does not block the others.
      if "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$p" >/dev/null 2>&1; then
        say "$p: installed"
      else
        warn "$p: could not be installed from Debian (the bench reports it as not available)"
      fi
    done
    if [ "$made_policy" = 1 ]; then "${sudo_cmd[@]}" rm -f "$policy"; fi
  fi
fi

# systeminformation, private to the bench (bench/tmp is git-ignored).
mkdir -p "$tmp"
if [ -f "$tmp/node_modules/systeminformation/package.json" ]; then
  say "systeminformation: already installed in bench/tmp"
else
  say "installing systeminformation into bench/tmp"
  [ -f "$tmp/package.json" ] || echo '{ "name": "preflight-bench-peers", "private": true }' >"$tmp/package.json"
  if npm install --prefix "$tmp" --no-audit --no-fund --loglevel=error systeminformation >/dev/null 2>&1; then
    say "systeminformation: installed"
  else
    warn "systeminformation: npm install failed (the bench reports it as not available)"
  fi
fi

# Ansible writes its own state under ANSIBLE_HOME / ANSIBLE_LOCAL_TEMP: keep that in bench/tmp.
mkdir -p "$tmp/ansible/home" "$tmp/ansible/local-tmp" "$tmp/ansible/remote-tmp"
exit 0
