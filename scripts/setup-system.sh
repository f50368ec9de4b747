#!/usr/bin/env bash
# Installs the system packages the briefing needs: Debian's Chromium (the PDF is printed by it),
# fonts for Chinese and Cyrillic text, and poppler-utils (pdftoppm/pdftotext for checking PDFs).
# Idempotent: on Debian/Ubuntu as root it installs only what is missing; elsewhere it prints what
# to install by hand and exits 0 if everything is already there, 1 if something is missing.
set -euo pipefail

PACKAGES=(chromium fonts-wqy-microhei fonts-dejavu-core poppler-utils)

have_cmd() { command -v "$1" >/dev/null 2>&1; }

python_ok() {
  have_cmd python3 && python3 - <<'PY' >/dev/null 2>&1
import sys, venv, ensurepip  # noqa: F401
sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY
}

if [ -r /etc/debian_version ] && have_cmd dpkg-query && have_cmd apt-get; then
  missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  python_ok || missing+=(python3 python3-venv)
  if [ ${#missing[@]} -eq 0 ]; then
    echo "setup-system: all system packages present (${PACKAGES[*]})"
    exit 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup-system: missing Debian packages: ${missing[*]}" >&2
    echo "setup-system: run as root, or: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "setup-system: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "setup-system: installed ${missing[*]}"
  exit 0
fi

# Not Debian/Ubuntu: say what is needed and check what we can.
status=0
if ! python_ok; then echo "setup-system: need Python >= 3.11 with venv"; status=1; fi
if ! { have_cmd chromium || have_cmd chromium-browser || have_cmd google-chrome || [ -n "${BRIEFING_CHROMIUM:-}" ]; }; then
  echo "setup-system: need Chromium or Chrome (set BRIEFING_CHROMIUM=/path/to/chrome if it is not on PATH)"
  status=1
fi
if ! have_cmd pdftoppm; then echo "setup-system: need poppler (pdftoppm, pdftotext)"; status=1; fi
if have_cmd fc-list && ! fc-list :lang=zh | grep -q .; then
  echo "setup-system: need a font with Chinese glyphs (e.g. WenQuanYi Micro Hei, Noto Sans CJK)"; status=1
fi
if [ $status -ne 0 ]; then
  echo "setup-system: see README.md, section 'Other systems', for the install commands"
fi
exit $status
