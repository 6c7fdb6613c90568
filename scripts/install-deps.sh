#!/usr/bin/env bash
# Installs what the build and the tests need, if it is missing.
# Usage: scripts/install-deps.sh [build|test|bench|deploy]
#   build:  the C libraries energy links (Debian packages; libhpdf-dev is libharu, the PDF statements)
#   test:   also RabbitMQ (the broker of the live path's tests), a Python virtualenv (.venv) with
#           the MongoDB-wire test server and openpyxl, a real XLSX reader for the tests that check
#           statements cell by cell, sepaxml and xmlschema (the ISO 20022 XSDs the SEPA files are
#           validated against), poppler-utils (pdftotext, pdfinfo, pdftoppm: the tests that read the
#           PDF statements back), wrk (the HTTP benchmark), and everything `deploy` installs
#   bench:  everything `test` installs, and in .venv DuckDB (the in-memory baseline of `make bench`)
#   deploy: only the tools of the offline deployment check (scripts/check-deploy.sh): promtool
#           (Debian prometheus) and, in .venv, kubectl, kubernetes-validate, yamllint, hadolint
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-build}

case "$mode" in
  build) packages=(pkg-config tzdata libsqlite3-dev libmongoc-dev libbson-dev libxlsxwriter-dev librabbitmq-dev libxml2-dev
                   libhpdf-dev) ;;
  test|bench) packages=(pkg-config tzdata libsqlite3-dev libmongoc-dev libbson-dev libxlsxwriter-dev librabbitmq-dev libxml2-dev
                  libhpdf-dev python3-venv rabbitmq-server prometheus wrk poppler-utils) ;;
  deploy) packages=(python3-venv prometheus) ;;
  *) echo "usage: $0 [build|test|bench|deploy]" >&2; exit 2 ;;
esac

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

# install_requirements FILE MARKER: pip-installs FILE into .venv unless MARKER says it already is.
install_requirements() {
  if ! .venv/bin/python -c 'import sys' 2>/dev/null; then python3 -m venv .venv; fi
  if ! cmp -s "$1" ".venv/$2" 2>/dev/null; then
    echo "installing into .venv: $(tr '\n' ' ' < "$1")"
    .venv/bin/pip install -q --disable-pip-version-check -r "$1"
    cp "$1" ".venv/$2"
  fi
}
if [ "$mode" = test ] || [ "$mode" = bench ]; then install_requirements scripts/test-requirements.txt .installed-requirements; fi
if [ "$mode" = bench ]; then install_requirements scripts/bench-requirements.txt .installed-bench-requirements; fi
if [ "$mode" = test ] || [ "$mode" = bench ] || [ "$mode" = deploy ]; then
  install_requirements scripts/deploy-requirements.txt .installed-deploy-requirements
fi
