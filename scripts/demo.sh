#!/usr/bin/env bash
# Run the portal with demo data on SQLite at http://127.0.0.1:8000, with the task worker beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export XIANFENG_DEBUG=1
.venv/bin/python manage.py migrate -v 0
if [ "$(.venv/bin/python manage.py shell -c 'from branches.models import Organization; print(Organization.objects.exists())')" != "True" ]; then
  echo "==> building demo data (a minute)"
  .venv/bin/python manage.py seed_demo
fi
.venv/bin/python manage.py db_worker &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT
echo "==> Xianfeng on http://127.0.0.1:8000 (accounts: README.md, 'Demo accounts')"
.venv/bin/python manage.py runserver 127.0.0.1:8000
