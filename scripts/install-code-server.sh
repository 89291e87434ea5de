#!/usr/bin/env bash
# Installs code-server (= the real VS Code workbench + the real Node extension host) into
# .vscode-test/code-server/, the git-ignored cache the integration runner (test/runIntegration.ts) uses.
#
# Why code-server and not desktop VS Code: this machine reaches only the npm registry and Debian, so
# @vscode/test-electron cannot download VS Code. code-server 4.100.3 (VS Code 1.100.3) is the newest
# release whose `engines` accepts Node 20; engines.vscode / @types/vscode must therefore stay <= 1.100.
#
# It lives in its own folder with its own package.json, not in the extension's devDependencies, so a
# plain `npm ci` stays fast and small (this is ~450 MB).
#
# Idempotent: if the requested version is already fully installed, it exits at once.
# Needs Debian's ripgrep, libkrb5-dev, make, g++, python3: scripts/setup.sh installs them first.
set -euo pipefail

VERSION="${CODE_SERVER_VERSION:-4.100.3}"
# @vscode/ripgrep version that code-server 4.100.3's bundled VS Code depends on, and the archive name its
# postinstall looks for in its cache before trying GitHub (which is unreachable here).
RIPGREP_PKG_VERSION="1.15.11"
RIPGREP_ARCHIVE="ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.vscode-test"
DEST="$CACHE/code-server"
MARKER="$DEST/.installed-version"

log() { echo "install-code-server: $*"; }

# --- Fast path -------------------------------------------------------------------------------------
# The marker is written only after a complete, successful install, so a half-finished attempt is never
# taken for a good one. Check the entry point too in case someone deleted files by hand.
if [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$VERSION" ] \
  && [ -f "$DEST/node_modules/code-server/out/node/entry.js" ]; then
  log "code-server $VERSION already installed in ${DEST#"$ROOT"/}, nothing to do."
  exit 0
fi

# --- Prerequisites ---------------------------------------------------------------------------------
missing=()
command -v rg >/dev/null 2>&1 || missing+=("rg (Debian: ripgrep)")
[ -f /usr/include/gssapi/gssapi.h ] || missing+=("gssapi headers (Debian: libkrb5-dev)")
for tool in make g++ python3 tar gzip; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "missing: ${missing[*]}"
  log "run: bash scripts/setup.sh (it installs them when root or passwordless sudo can)"
  exit 1
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  log "Node $(node -v) is too old; code-server $VERSION needs Node 20."
  exit 1
fi

# --- ripgrep cache ---------------------------------------------------------------------------------
# @vscode/ripgrep's postinstall downloads rg from GitHub unless this archive already exists in
# <os.tmpdir()>/vscode-ripgrep-cache-<version>/. An archive holding Debian's rg under the name `rg`
# satisfies it. os.tmpdir() honours TMPDIR, so ask Node rather than assuming /tmp.
RG_CACHE_DIR="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
if [ ! -s "$RG_CACHE_DIR/$RIPGREP_ARCHIVE" ]; then
  log "making ripgrep cache archive from $(command -v rg) in $RG_CACHE_DIR"
  mkdir -p "$RG_CACHE_DIR"
  rg_stage="$(mktemp -d)"
  cp "$(command -v rg)" "$rg_stage/rg"
  # Write to a temp name and rename, so an interrupted run never leaves a truncated archive behind.
  tar -czf "$RG_CACHE_DIR/$RIPGREP_ARCHIVE.tmp.$$" -C "$rg_stage" rg
  mv "$RG_CACHE_DIR/$RIPGREP_ARCHIVE.tmp.$$" "$RG_CACHE_DIR/$RIPGREP_ARCHIVE"
  rm -rf "$rg_stage"
fi

# --- Install ---------------------------------------------------------------------------------------
# Install into a staging folder and move it into place only on success: a failed or interrupted install
# leaves the previous good one (or nothing) rather than a broken tree.
mkdir -p "$CACHE"
STAGE="$CACHE/code-server.staging"
rm -rf "$STAGE"
mkdir -p "$STAGE"
# Its own package.json makes the staging folder an npm project of its own, so npm neither walks up to
# the extension's package.json nor touches its lockfile.
cat >"$STAGE/package.json" <<JSON
{ "name": "mistral-workflows-code-server-cache", "private": true, "version": "0.0.0" }
JSON

# unsafe_perm: as root, npm would otherwise drop privileges for lifecycle scripts and the postinstalls
#   (which write into the package folders) fail.
# yes: node-pty's postinstall runs `npx node-gyp`, and this machine's npmrc says yes=false, which makes
#   npx answer "no" to its install prompt (there is no stdin in CI either).
# argon2 and kerberos try to download prebuilt binaries, fail, and compile from source: expected noise.
export npm_config_unsafe_perm=true
export npm_config_yes=true
export npm_config_audit=false
export npm_config_fund=false
export npm_config_update_notifier=false

log "installing code-server@$VERSION into ${DEST#"$ROOT"/} (a few minutes; native modules compile)"
start=$(date +%s)
(cd "$STAGE" && npm install --no-package-lock --loglevel=warn "code-server@$VERSION")

installed="$(node -p "require('$STAGE/node_modules/code-server/package.json').version")"
if [ "$installed" != "$VERSION" ]; then
  log "expected code-server $VERSION, got $installed"
  exit 1
fi
# A sanity check that the postinstall really finished: the bundled VS Code's own dependencies exist.
if [ ! -d "$STAGE/node_modules/code-server/lib/vscode/node_modules" ]; then
  log "code-server's postinstall did not install lib/vscode/node_modules; see the output above"
  exit 1
fi

echo "$VERSION" >"$STAGE/.installed-version"
rm -rf "$DEST"
mv "$STAGE" "$DEST"
log "installed code-server $VERSION in $(( $(date +%s) - start )) s: ${DEST#"$ROOT"/}/node_modules/.bin/code-server"
