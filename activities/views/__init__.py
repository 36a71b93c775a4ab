"""The activity log's pages: the log itself, compliance and calendars, and the rules."""
