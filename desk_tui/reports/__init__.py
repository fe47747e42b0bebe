"""Reports as tables: built from the report services, written as text, CSV or HTML."""
