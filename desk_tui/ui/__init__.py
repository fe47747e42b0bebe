"""The terminal console: app, screens, widgets, themes and translations (Textual)."""
