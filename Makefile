.PHONY: demo test test-pg setup i18n bench

demo:            ## run the portal with demo data on SQLite at http://127.0.0.1:8000
	bash scripts/demo.sh

test:            ## lint + migrations check + the whole test suite (SQLite)
	bash scripts/test.sh

test-pg:         ## the whole test suite on PostgreSQL at 127.0.0.1:5432
	XIANFENG_DB_ENGINE=postgresql .venv/bin/python -m pytest

setup:
	bash scripts/setup.sh

i18n:            ## collect strings and merge translations from locale/parts/*.po
	bash scripts/i18n.sh
