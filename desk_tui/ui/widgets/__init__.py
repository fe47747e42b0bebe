"""Reusable widgets; import each from its module so nothing heavy loads by accident."""
