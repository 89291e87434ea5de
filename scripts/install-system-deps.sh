#!/usr/bin/env bash
# Installs the Debian packages the real-VS Code integration tests need, and only those missing:
#   chromium     - the headless browser playwright-core drives (/usr/bin/chromium; no browser download works here)
#   ripgrep      - /usr/bin/rg, repackaged for @vscode/ripgrep's postinstall (it cannot reach GitHub)
#   libkrb5-dev  - gssapi headers: code-server's `kerberos` native module compiles from source
#   python3 make g++ - node-gyp toolchain for kerberos, argon2 and node-pty (normally present already)
#   iproute2     - `ip netns` and `tc netem`: the simulated network links of `npm run bench`
#   openssl      - the CLI the mTLS tests make their throwaway CA and certificates with
#   curl         - the engine suite runs a copied "Copy Reset as curl" command as a user would
# With arguments, only those packages (scripts/setup.sh passes what it found missing).
# `apt-get update` runs once, and only when something is missing, so a prepared machine skips apt entirely.
set -euo pipefail

if [ "$#" -gt 0 ]; then
  packages=("$@")
else
  packages=(chromium ripgrep libkrb5-dev python3 make g++ iproute2 openssl curl)
fi

missing=()
for pkg in "${packages[@]}"; do
  # dpkg-query's status is the reliable check: a binary on PATH may come from elsewhere.
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-system-deps: all present (${packages[*]}), skipping apt."
  exit 0
fi

echo "install-system-deps: installing ${missing[*]} (apt-get)"
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  SUDO=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-system-deps: done."
