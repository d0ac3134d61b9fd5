#!/bin/sh
# The system packages kamanalysis needs beyond Python (run by `make install`):
#   chromium-headless-shell  prints the PDF reports (kam report --formats pdf;
#                 kamanalysis/report/pdf.py): Chromium's old headless shell, the same printing
#                 as the full browser for less CPU; where the package does not exist (Ubuntu),
#                 chromium instead. A machine with either, or Google Chrome, has what it needs.
#   poppler-utils pdftotext, pdffonts, pdfimages: the tests read the PDFs with them
# Installs the missing ones with apt-get when run as root on Debian/Ubuntu; otherwise says
# what to run and carries on: `kam report` without --formats pdf needs neither.
missing=""
shell=""
command -v chromium-headless-shell >/dev/null 2>&1 || command -v chrome-headless-shell >/dev/null 2>&1 \
  || shell="chromium-headless-shell"
browser=""
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
  || command -v google-chrome >/dev/null 2>&1 || browser="chromium"
command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
# nothing to do when a headless shell is there, or a full browser is and we cannot install
if [ -z "$shell" ] || { [ -z "$browser" ] && [ "$(id -u)" != 0 ]; }; then
  shell=""
  browser=""
fi
[ -z "$missing$shell$browser" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq
  if [ -n "$shell" ]; then
    if apt-cache show chromium-headless-shell >/dev/null 2>&1; then
      missing="$missing chromium-headless-shell"
    elif [ -n "$browser" ]; then
      missing="$missing chromium"
    fi
  fi
  [ -z "$missing" ] && exit 0
  echo "installing the system packages:$missing"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
else
  [ -n "$shell$browser" ] && missing="$missing chromium-headless-shell (or chromium)"
  echo "kamanalysis: for PDF reports (kam report --formats pdf) and the PDF tests, install:$missing" >&2
  echo "  sudo apt-get install$missing" >&2
fi
