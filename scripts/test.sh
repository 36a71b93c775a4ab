#!/usr/bin/env bash
# The whole check: lint, migrations in step with models, translations complete, all tests.
# XIANFENG_DB_ENGINE=postgresql runs the same suite on PostgreSQL (127.0.0.1:5432, user postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python manage.py makemigrations --check --dry-run -v 0
.venv/bin/python -m pytest "$@"
