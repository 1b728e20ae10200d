#!/usr/bin/env bash
# Install what Fupin needs on Debian 12: system packages, the virtualenv, front-end files, translations.
#   scripts/setup.sh          what the system needs to run
#   scripts/setup.sh --dev    also PostgreSQL and Chromium, for the test suite
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[ "${1:-}" = "--dev" ] && dev=1
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"

python=${PYTHON:-$(command -v python3.11 || command -v python3)}

packages=(fonts-wqy-microhei gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)  # Pango: WeasyPrint
command -v npm >/dev/null || packages+=(npm)
"$python" -c "import ensurepip, venv" 2>/dev/null || packages+=(python3-venv)
[ "$dev" = 1 ] && packages+=(postgresql chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> apt-get install ${missing[*]}"
  # Another apt-get (an unattended upgrade, a second terminal) may hold the package lock: wait for it.
  wait_for_lock=(-o DPkg::Lock::Timeout=600)
  $sudo apt-get "${wait_for_lock[@]}" update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get "${wait_for_lock[@]}" install -y -qq "${missing[@]}" >/dev/null
fi

lock=requirements/base.lock
[ "$dev" = 1 ] && lock=requirements/dev.lock
[ -x .venv/bin/python ] || "$python" -m venv .venv
if ! cmp -s "$lock" .venv/.installed-lock; then
  echo "==> pip install -r $lock"
  .venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r "$lock"
  cp "$lock" .venv/.installed-lock
fi

if ! cmp -s package-lock.json node_modules/.installed-lock; then
  echo "==> npm ci"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.installed-lock
fi
scripts/vendor_assets.sh

.venv/bin/python manage.py compilemessages -v0 --ignore=.venv --ignore=node_modules --ignore=var
