#!/bin/sh
# `make test` runs this first: the browser tests (tests/test_browser.py) drive Debian's Chromium.
#
#   etc/chromium.sh CHROMIUM DEBIAN_CHROMIUM
#
# Chromium at CHROMIUM: prints nothing. Missing, and CHROMIUM is where Debian's chromium package
# puts it (DEBIAN_CHROMIUM), as root or with passwordless sudo: installs the package (apt-get's
# output goes to stderr) and prints nothing once it is there. Otherwise prints, on stdout, one
# line saying what to run; make stops with that line before doing anything else.
chromium=$1
debian=$2
[ -x "$chromium" ] && exit 0
if [ "$chromium" != "$debian" ]; then
    echo "make test: no Chromium at CHROMIUM=$chromium; install it there, or leave CHROMIUM unset to use Debian's chromium package"
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    as_root=""
elif sudo -n true >/dev/null 2>&1; then
    as_root="sudo -n"
else
    echo "make test: Chromium is missing (the browser tests drive it); run: sudo apt-get install chromium (or set CHROMIUM=PATH), then make test"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "make test: Chromium is missing and there is no apt-get; install Chromium and run: make test CHROMIUM=PATH"
    exit 0
fi
echo "make test: no Chromium at $chromium; installing Debian's chromium package (apt-get install chromium)" >&2
{ $as_root apt-get update -q &&
  $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; } >&2
if [ ! -x "$chromium" ]; then
    echo "make test: apt-get could not install chromium (see above); run: ${as_root:+sudo }apt-get install chromium, then make test"
fi
exit 0
