"""Pure SLA rules: no UI, database or terminal imports (a test enforces this)."""
