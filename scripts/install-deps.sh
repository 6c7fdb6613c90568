#!/usr/bin/env bash
# Installs the Debian packages the build and tests need, if they are missing, and the Python
# virtualenv (.venv with openpyxl) the billing tests use to read statements back.
# Idempotent: a second run installs nothing.
# Usage: scripts/install-deps.sh
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(pkg-config libsqlite3-dev tzdata libxlsxwriter-dev python3-venv)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# openpyxl, a real XLSX reader, for the tests that check statements cell by cell.
if ! .venv/bin/python -c 'import openpyxl' 2>/dev/null; then
  echo "creating .venv with openpyxl"
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check 'openpyxl==3.1.5'
fi
