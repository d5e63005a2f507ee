#!/usr/bin/env bash
# System packages the build and the tests need, installed with apt only when missing.
#   build: Python's venv support, Pango (WeasyPrint draws text with it), HarfBuzz-Subset (its
#          font subsetter), fontconfig, the DejaVu fonts the PDFs use, and the Noto fonts that
#          text a team typed in other scripts falls back to (most scripts, CJK, emoji)
#   test:  the above, plus Debian's Chromium (browser tests), poppler-utils (PDF to text, PNG),
#          and Java and npm for the Nu HTML Checker (npm's vnu-jar) and pdf.js (npm's
#          pdfjs-dist); the Makefile fetches both
# Each check asks dpkg about one package: exact, and never a pipeline that can fail by itself.
set -euo pipefail
packages=(python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core
  fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji)
if [ "${1:-build}" = test ]; then
  packages+=(chromium poppler-utils)
  command -v java >/dev/null || packages+=(default-jre-headless)
  command -v npm >/dev/null || packages+=(npm)
fi

if ! command -v dpkg-query >/dev/null; then
  echo "Not a Debian or Ubuntu system: make sure these (or your system's equivalents) are" \
    "installed: ${packages[*]}" >&2
  exit 0
fi

installed() {
  local status
  status=$(dpkg-query --show --showformat='${Status}' "$1" 2>/dev/null) || return 1
  [ "$status" = "install ok installed" ]
}

need=()
for package in "${packages[@]}"; do
  installed "$package" || need+=("$package")
done
[ ${#need[@]} -eq 0 ] && exit 0

echo "Installing system packages: ${need[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || {
    echo "error: these packages are missing and installing them needs root: ${need[*]}" >&2
    exit 1
  }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
