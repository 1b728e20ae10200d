#!/usr/bin/env bash
# The whole test suite: lint, the layers, migrations and translations checked, then pytest on SQLite (with the
# browser tests) and on PostgreSQL. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
py=.venv/bin/python

echo "==> ruff"
.venv/bin/ruff check .
echo "==> layers (lint-imports: no import points up a layer)"
.venv/bin/lint-imports --no-cache
echo "==> migrations are up to date"
$py manage.py makemigrations --check --dry-run -v0
echo "==> translations are complete"
scripts/check_translations.sh
echo "==> security probe (bounded: a sample of each kind of attempt; scripts/probe.py)"
.venv/bin/python scripts/probe.py --bounded

echo "==> pytest on SQLite (with browser tests)"
.venv/bin/pytest -q "$@"

echo "==> pytest on PostgreSQL"
url=$(scripts/pg.sh start | tail -n 1)
FUPIN_DATABASE_URL="$url" .venv/bin/pytest -q -m "not browser" "$@"
