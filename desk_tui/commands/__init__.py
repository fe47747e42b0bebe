"""One module per `desk` subcommand, imported only when that subcommand runs."""
