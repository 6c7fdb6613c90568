#!/usr/bin/env bash
# Installs what the build and the tests need, if it is missing.
# Usage: scripts/install-deps.sh [build|test]
#   build: the C libraries energy links (Debian packages)
#   test:  also RabbitMQ (the broker of the live path's tests), a Python virtualenv (.venv) with
#          the MongoDB-wire test server and openpyxl, a real XLSX reader for the tests that check
#          statements cell by cell
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-build}

packages=(pkg-config tzdata libsqlite3-dev libmongoc-dev libbson-dev libxlsxwriter-dev librabbitmq-dev)
[ "$mode" = test ] && packages+=(python3-venv rabbitmq-server)

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

if [ "$mode" = test ]; then
  if ! .venv/bin/python -c 'import sys' 2>/dev/null; then python3 -m venv .venv; fi
  if ! cmp -s scripts/test-requirements.txt .venv/.installed-requirements 2>/dev/null; then
    echo "installing test tools into .venv: $(tr '\n' ' ' < scripts/test-requirements.txt)"
    .venv/bin/pip install -q --disable-pip-version-check -r scripts/test-requirements.txt
    cp scripts/test-requirements.txt .venv/.installed-requirements
  fi
fi
