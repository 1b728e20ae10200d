#!/usr/bin/env bash
# Fail when a UI string has no Chinese translation (or a fuzzy one): regenerate the catalogue into a
# temporary copy and compare.
set -euo pipefail
cd "$(dirname "$0")/.."
po=fupin/locale/zh_Hans/LC_MESSAGES/django.po
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Every translation keeps its msgid's placeholders (%(name)s, {name}): msgfmt refuses one that does not.
msgfmt -c -o /dev/null "$po" 2> >(grep -av "header field" >&2)
cp "$po" "$tmp/before.po"
(cd fupin && ../.venv/bin/python ../manage.py makemessages -l zh_Hans --no-location --no-obsolete -v0 \
   --ignore=static/vendor/* >/dev/null)
cp "$po" "$tmp/after.po"
cp "$tmp/before.po" "$po"
untranslated=$(msgattrib --untranslated --no-obsolete "$tmp/after.po" | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$tmp/after.po" | grep -c '^msgid ' || true)
if [ "$untranslated" -gt 0 ] || [ "$fuzzy" -gt 0 ]; then
  echo "django.po: $untranslated untranslated and $fuzzy fuzzy strings; run makemessages and translate:" >&2
  msgattrib --untranslated --no-obsolete "$tmp/after.po" | grep '^msgid ' | head -20 >&2
  exit 1
fi
