#!/usr/bin/env bash
# Prepare this checkout on a fresh Debian machine, as root: system packages, a Python >= 3.12 venv,
# Python packages, translations. Safe to run again; it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(fonts-noto-cjk libharfbuzz-subset0 poppler-utils gettext chromium)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "Debian packages ${missing[*]} are missing and installing them needs root." >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

find_python() {
  local candidates=()
  [ -n "${XIANFENG_PYTHON:-}" ] && candidates+=("$XIANFENG_PYTHON")
  if command -v pyenv >/dev/null 2>&1; then
    local root; root=$(pyenv root)
    for v in $(ls -r "$root/versions" 2>/dev/null); do
      for exe in "$root/versions/$v/bin/python3."*; do
        [[ "$exe" =~ python3\.[0-9]+$ ]] && candidates+=("$exe")
      done
    done
  fi
  candidates+=(python3.14 python3.13 python3.12 python3)
  for c in "${candidates[@]}"; do
    local path; path=$(command -v "$c" 2>/dev/null || true)
    [ -n "$path" ] || continue
    if "$path" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
      echo "$path"; return 0
    fi
  done
  return 1
}

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
  PYTHON=$(find_python) || {
    echo "No Python >= 3.12 found. Install one (e.g. pyenv install 3.13) or set XIANFENG_PYTHON=/path/to/python3.13." >&2
    exit 1
  }
  echo "==> creating .venv with $PYTHON"
  rm -rf .venv
  "$PYTHON" -m venv .venv
fi

stamp=.venv/.requirements.sha
want=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "==> installing Python packages"
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
  echo "$want" > "$stamp"
fi

if [ -f locale/zh_Hans/LC_MESSAGES/django.po ]; then
  .venv/bin/python manage.py compilemessages --ignore=.venv -v 0
fi
