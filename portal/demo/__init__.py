"""Demo data built from the five source reports (docs: README, "Demo accounts").

``runner.STEPS`` is the build; ``units/`` holds one module per source unit; ``people`` makes
plausible members; ``accounts`` the demo logins. ``manage.py seed_demo`` only orchestrates.
"""
