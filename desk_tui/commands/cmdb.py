"""`desk cmdb import FILE.csv`: load an existing CMDB from CSV.

Exit 0 when the file could be read, also when rows were refused (they are listed); exit 2
when the file or the mapping is unusable (missing file, not UTF-8, no name or type column,
an unknown --map field or column), when the operator is unknown or may not import; exit 1
when the database fails.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from desk_tui.commands.guard import EXIT_FAILED, EXIT_OK, EXIT_REFUSED, acting_url, guarded
from desk_tui.commands.operator import (
    acting_actor,
    open_current,
    operator_login,
    quiet_logs,
)
from desk_tui.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from desk_tui.services.cmdb_import import ColumnMap, CsvSource, ImportOptions, ImportReport

COMMAND = "desk cmdb import"
DEFAULT_SHOWN = 20

_DESCRIPTION = """\
Import configuration items from a CSV file (UTF-8, with or without BOM; ';', ',' or tab
between fields, sniffed from the header line unless --delimiter is given). The first line
names the columns.

Every row is checked as a CI registered by hand. A row that cannot be imported is refused
with its line and the reason (unknown type, status, organisation or owner, a bad IP
address or date, a missing name, text too long, ...); the other rows are imported.

Nothing is imported twice. A row is identified by its external reference (Objectnummer),
else its asset tag, else its type and serial number, else its organisation, type and name:
a row whose CI is already in the database is skipped, and a second row for the same CI in
one file is refused, naming the first. Running the same import again changes nothing.

Values: organisation by code or name (a row without one belongs to --organisation, else
to the servicedesk's own infrastructure, which is not invoiced); owner by login or e-mail
at that organisation; dates as YYYY-MM-DD or D-M-YYYY; type and status as desk's values
(werkplek, laptop, server, applicatie, netwerkapparaat, telefoon, mobiel-apparaat,
printer, certificaat, licentie; gepland, in-gebruik, in-reparatie, voorraad, uit-gebruik)
or common Dutch and English words for them (desktop, notebook, switch, smartphone,
multifunctional, certificate, licence; actief, in use, in stock, afgevoerd, retired, ...).
An empty status is in-gebruik. A certificate needs an expiry date.
"""

_MAPPING_HELP = """\
columns read by default (field, then the headers it is found under; case, spaces,
'-', '_' and '.' do not matter):
{headers}

--map FIELD=COLUMN names the column for a field (repeatable; FIELD= leaves a field out);
--map attributes.KEY=COLUMN stores a column in the CI's attributes under KEY. A mapping
file holds the same, and words of your own for types and statuses:

  [columns]
  name = "Omschrijving"
  "attributes.model" = "Model"
  [types]
  "Thin client" = "werkplek"
  [statuses]
  "Uitgeleend" = "in-gebruik"

Columns that fill no field are listed and left out. --refused-out writes the refused rows
with their line and reason, in the file's own columns: fix them there and import that file.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The `desk cmdb` actions (only argparse and the column vocabulary are imported)."""
    from desk_tui.services.cmdb_vocabulary import default_headers_help

    actions = parser.add_subparsers(dest="cmdb_action", metavar="ACTION", required=True)
    load = actions.add_parser(
        "import", help="import configuration items from a CSV file",
        description=_DESCRIPTION,
        epilog=_MAPPING_HELP.format(headers=default_headers_help()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    load.add_argument("file", type=Path, metavar="FILE.csv", help="the CSV file")
    load.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                      help="the column for a field (repeatable)")
    load.add_argument("--mapping", type=Path, metavar="MAPPING.toml",
                      help="columns, type and status words from a TOML file")
    load.add_argument("--delimiter", metavar="CHAR", help="';', ',' or 'tab' (default: sniffed)")
    load.add_argument("--organisation", metavar="CODE",
                      help="organisation (code or name) of rows that name none")
    load.add_argument("--dry-run", action="store_true",
                      help="check and report every row, write nothing")
    load.add_argument("--refused-out", type=Path, metavar="FILE.csv",
                      help="write the refused rows with line and reason to this file")
    load.add_argument("--show", type=int, default=DEFAULT_SHOWN, metavar="N",
                      help=f"refused rows listed on screen (default {DEFAULT_SHOWN})")


def run(
    settings: Settings, args: argparse.Namespace, out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Entry point of `desk cmdb`; failures are one line on stderr, never a traceback."""
    out = out or sys.stdout
    err = err or sys.stderr
    configured = acting_url(settings, args, err)
    if configured is None:
        return EXIT_REFUSED
    parsed, shown = configured
    from desk_tui.services.cmdb_import import (
        ImportOptions,
        MappingFile,
        UnusableInput,
        map_columns,
        parse_map_options,
        read_csv,
        read_mapping_file,
    )

    try:
        delimiter = _delimiter(args.delimiter)
        source = read_csv(args.file, delimiter)
        mapping = read_mapping_file(args.mapping) if args.mapping else MappingFile()
        columns = map_columns(source.header, mapping.columns | parse_map_options(args.map))
    except UnusableInput as error:
        print(f"{COMMAND}: {error}", file=err)
        return EXIT_REFUSED
    options = ImportOptions(
        organisation=args.organisation, types=mapping.types, statuses=mapping.statuses,
        dry_run=args.dry_run,
    )
    login = operator_login(settings, getattr(args, "operator", None))
    quiet_logs()
    return guarded(
        lambda: _import(parsed, login, source, columns, options, args, out, err), shown, err
    )


def _delimiter(written: str | None) -> str | None:
    from desk_tui.services.cmdb_import import UnusableInput

    if written is None:
        return None
    if written.lower() in {"tab", "\\t"}:
        return "\t"
    if len(written) != 1 or written in {'"', "\n", "\r"}:
        raise UnusableInput(f"--delimiter {written!r}: give one character, e.g. ';' or ','")
    return written


def _import(
    url: URL, login: str, source: CsvSource, columns: ColumnMap, options: ImportOptions,
    args: argparse.Namespace, out: TextIO, err: TextIO,
) -> int:
    from desk_tui.services.cmdb_import import UnusableInput, import_cis
    from desk_tui.services.errors import Refused

    engine = open_current(url)
    try:
        actor = acting_actor(engine, login, COMMAND, err)
        if actor is None:
            return EXIT_REFUSED
        progress = _progress(err)
        try:
            report = import_cis(
                engine=engine, actor=actor, source=source, columns=columns, options=options,
                now=datetime.now(UTC), progress=progress,
            )
        except (Refused, UnusableInput) as error:
            print(f"{COMMAND}: {error}", file=err)
            return EXIT_REFUSED
        finally:
            if progress is not None:
                print(file=err)
    finally:
        engine.dispose()
    _print_columns(source, columns, out)
    _print_report(report, options, max(args.show, 0), args.refused_out, out)
    if args.refused_out is not None:
        return _write_refused(report, source, args.refused_out, err)
    return EXIT_OK


def _progress(err: TextIO) -> Callable[[int], None] | None:
    """A running count of rows on a terminal; nothing when stderr is a file or pipe."""
    if not err.isatty():
        return None

    def report(rows: int) -> None:
        print(f"\r{rows:,} rows read", end="", file=err, flush=True)

    return report


def _print_columns(source: CsvSource, columns: ColumnMap, out: TextIO) -> None:
    print(f"{COMMAND}: {source.name}, delimiter {source.delimiter!r}", file=out)
    mapped = [f"{name} = {source.header[index]!r}" for name, index in columns.fields.items()]
    mapped += [f"attributes.{key} = {source.header[index]!r}"
               for key, index in columns.attributes.items()]
    print(f"columns: {', '.join(mapped)}", file=out)
    if columns.ignored:
        print(f"left out (no field): {', '.join(repr(name) for name in columns.ignored)}",
              file=out)


def _print_report(
    report: ImportReport, options: ImportOptions, shown: int, refused_out: Path | None,
    out: TextIO,
) -> None:
    verb = "would import" if options.dry_run else "imported"
    per = ", ".join(
        f"{code or 'own infrastructure'} {count}"
        for code, count in sorted(report.by_organisation.items(),
                                  key=lambda entry: (not entry[0], entry[0]))
    )
    print(
        f"{report.rows} rows: {verb} {report.imported}{f' ({per})' if per else ''},"
        f" skipped {report.skipped} (already present), refused {len(report.refused)}",
        file=out,
    )
    if report.refused and shown:
        print("refused:", file=out)
        for refusal in report.refused[:shown]:
            print(f"  line {refusal.line}: {refusal.reason}", file=out)
    hidden = len(report.refused) - min(shown, len(report.refused))
    if hidden:
        where = (f"all are in {refused_out.name}" if refused_out is not None
                 else "--refused-out FILE.csv writes them all")
        print(f"  ... and {hidden} more; {where}", file=out)
    if options.dry_run:
        print("dry run: nothing was written", file=out)


def _write_refused(report: ImportReport, source: CsvSource, path: Path, err: TextIO) -> int:
    from desk_tui.services.cmdb_import import write_refused_csv

    try:
        with path.open("w", encoding="utf-8", newline="") as stream:
            write_refused_csv(report.refused, source.header, stream, source.delimiter)
    except OSError as error:
        print(f"{COMMAND}: cannot write {path}: {error.strerror or error}", file=err)
        return EXIT_FAILED
    return EXIT_OK
