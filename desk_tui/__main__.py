"""`python -m desk_tui` runs the `desk` command."""

from desk_tui.cli import main

raise SystemExit(main())
