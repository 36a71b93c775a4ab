#!/usr/bin/env bash
# Collect every gettext string, fill translations from locale/parts/*.po (one file per area,
# edited by hand), and compile. Run after adding or changing user-facing strings.
set -euo pipefail
cd "$(dirname "$0")/.."
PO=locale/zh_Hans/LC_MESSAGES/django.po
.venv/bin/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=static --ignore=tests --ignore=bench \
  --no-obsolete --no-location -v 0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The parts come first so a translation written there wins over an empty entry in django.po.
msgcat --use-first -o "$tmp/all.po" locale/parts/*.po "$PO"
msgmerge -q --no-fuzzy-matching --no-location -o "$tmp/merged.po" "$tmp/all.po" "$PO"
msgattrib --no-obsolete -o "$PO" "$tmp/merged.po"
.venv/bin/python manage.py compilemessages --ignore=.venv -v 0
untranslated=$(msgattrib --untranslated --no-obsolete "$PO" | grep -c '^msgid ' || true)
if [ "$untranslated" -gt 1 ]; then
  echo "$((untranslated - 1)) strings have no Chinese translation yet:"
  msgattrib --untranslated --no-obsolete "$PO" | grep '^msgid ' | tail -n +2
fi
