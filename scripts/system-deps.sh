#!/bin/sh
# The system packages kamanalysis needs beyond Python (run by `make install`):
#   chromium      prints the PDF reports (kam report --formats pdf; kamanalysis/report/pdf.py)
#   poppler-utils pdftotext, pdffonts, pdfimages: the tests read the PDFs with them
# Installs the missing ones with apt-get when run as root on Debian/Ubuntu; otherwise says
# what to run and carries on: `kam report` without --formats pdf needs neither.
missing=""
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
  || command -v google-chrome >/dev/null 2>&1 || missing="$missing chromium"
command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing the system packages:$missing"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
else
  echo "kamanalysis: for PDF reports (kam report --formats pdf) and the PDF tests, install:$missing" >&2
  echo "  sudo apt-get install$missing" >&2
fi
