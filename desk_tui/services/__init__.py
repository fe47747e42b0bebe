"""Use cases: one function = one transaction, keyword-only session, plain results."""
