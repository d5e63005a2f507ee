#!/usr/bin/env bash
# System packages the build and the tests need, installed only when missing (Debian/Ubuntu).
#   build: the DejaVu fonts the PDFs use and the Pango library WeasyPrint draws text with
#   test:  the above, plus Debian's Chromium (browser tests) and poppler (PDF to text and PNG)
set -euo pipefail
need=()
command -v fc-match >/dev/null && fc-match -f '%{file}' 'DejaVu Sans' | grep -q DejaVuSans \
  || need+=(fonts-dejavu-core fontconfig)
ldconfig -p | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
if [ "${1:-build}" = test ]; then
  command -v chromium >/dev/null || need+=(chromium)
  command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null || need+=(poppler-utils)
fi
[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing system packages: ${need[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
