#!/usr/bin/env bash
# Sets up everything `make run` and `make test` need on a fresh Debian/Ubuntu machine:
# missing system libraries (installed with apt when we are root or have sudo), the virtual
# environment and the pinned Python dependencies. Safe to run again: it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}

# System packages. Qt needs these even offscreen; Xvfb and friends are for screenshots.
SYSTEM_PACKAGES=(
  libglib2.0-0 libgl1 libegl1 libx11-6 libdbus-1-3 libfontconfig1 libxkbcommon0
  xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
  libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0
  poppler-utils zbar-tools
  # Centre mode's tests start a throwaway PostgreSQL server; pg_dump/pg_restore back it up.
  postgresql postgresql-client
)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${SYSTEM_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
fi
if ((${#missing[@]})); then
  echo "setup: installing system packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "setup: please install as root: apt-get install ${missing[*]}" >&2; exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

stamp="$VENV/.installed"
if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating the virtual environment in $VENV"
  "$PYTHON" -m venv "$VENV"
fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing pinned Python dependencies"
  "$VENV/bin/python" -m pip install -q -e ".[dev]"
  touch "$stamp"
fi
