"""Builders of the province-sized data set behind ``manage.py seed_scale`` (issue 6, "Scale, measured")."""
