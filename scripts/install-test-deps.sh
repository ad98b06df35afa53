#!/usr/bin/env bash
# Install the system packages the report tests use, when missing:
#   chromium        headless browser for the HTML/CSP/screenshot tests
#   fonts-noto-cjk  Chinese fonts, so pages and PDFs render 中文 rather than tofu
#   poppler-utils   pdftoppm, to turn PDF pages into PNG images; pdftotext -layout, as users make text of PDFs
#   poppler-data    the CJK CMaps poppler needs for a PDF whose Chinese font is not embedded (STSong-Light)
#   libreoffice-writer-nogui  converts legacy .doc/.wps reports (the reader's LibreOffice path)
#   chromium-driver the workbench's end-to-end browser test (Selenium drives the system Chromium)
#   postgresql      the workbench's storage tests also run on a throw-away PostgreSQL cluster
#   libpango-1.0-0 libpangoft2-1.0-0  the system libraries WeasyPrint (PDF output) loads
# Needs root (CI runs as root); does nothing when everything is present.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
[ -d /usr/share/poppler/cMap/Adobe-GB1 ] || missing+=(poppler-data)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
command -v chromedriver >/dev/null 2>&1 || [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null || missing+=(postgresql)
if ! ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0"; then
  missing+=(libpango-1.0-0 libpangoft2-1.0-0)
fi
if ! fc-list :lang=zh 2>/dev/null | grep -qi "Noto Sans CJK"; then
  missing+=(fonts-noto-cjk)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-test-deps: chromium, chromedriver, fonts-noto-cjk, poppler-utils and -data, LibreOffice, Pango and PostgreSQL already present"
  exit 0
fi

echo "install-test-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
