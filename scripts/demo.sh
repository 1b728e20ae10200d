#!/usr/bin/env bash
# Run Fupin with the demo county on the embedded SQLite database at http://127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
py=.venv/bin/python
$py manage.py migrate -v0
$py manage.py load_regions
$py manage.py collectstatic --noinput -v0
$py manage.py seed_demo
$py manage.py generate_households --county 411723 --households 3000 --user county_operator
$py manage.py seed_demo_procedures
$py manage.py seed_demo_assistance
$py manage.py seed_demo_projects
$py manage.py seed_demo_loans
$py manage.py seed_demo_monitoring
$py manage.py seed_demo_crosscheck
echo
echo "Fupin is running at http://127.0.0.1:${FUPIN_PORT:-8000}/  (Ctrl-C to stop)"
# The background worker runs the import jobs; it stops with the server.
$py manage.py db_worker --no-reload &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
.venv/bin/gunicorn fupin.wsgi --bind "127.0.0.1:${FUPIN_PORT:-8000}" --workers 2 --access-logfile - --log-level warning
