"""Pages of the org tree, by subject: the tree, an org's own page and edits, and what hangs on it."""
