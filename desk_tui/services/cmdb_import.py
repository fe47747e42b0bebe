"""Loading an existing CMDB from CSV (`desk cmdb import`).

Each row becomes a CiDraft through a column mapping (defaults in cmdb_vocabulary), is
checked like a CI registered by hand (cmdb_write.validate_ci) and is stored with an
IMPORTED history row. A row's identity is its external reference, else its asset tag, else
its type and serial number, else its organisation, type and name: a row whose CI is already
in the database is skipped, a second row with the same identity in one file is refused,
so running the same import twice changes nothing.

Unlike other use cases an import is not one transaction: rows are stored in batches, each
committed on its own, so a 100k-row file neither holds the write lock for minutes nor
keeps every object in memory. An import that stops halfway is simply run again.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple, TextIO

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from desk_tui.services.access import Action, Actor, require
from desk_tui.services.cmdb_vocabulary import (
    ATTRIBUTE_PREFIX,
    HEADERS,
    IMPORT_FIELDS,
    normalised,
    status_words,
    type_words,
)
from desk_tui.services.cmdb_write import CiDraft, Names, ci_values, validate_ci
from desk_tui.services.errors import InvalidInput
from desk_tui.services.text_rules import field_name
from desk_tui.store.engine import read_session, write_session
from desk_tui.store.enums import CiHistoryField, CiStatus, CiType
from desk_tui.store.models import CiHistory, ConfigurationItem, Organisation, Person
from desk_tui.store.types import new_id

DEFAULT_BATCH = 1000
DELIMITERS = (";", ",", "\t")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_DATE_FIELDS = ("in_service_on", "retired_on", "expires_on")
_REQUIRED = ("name", "ci_type")


class UnusableInput(ValueError):
    """The file or the mapping cannot be imported at all; nothing was written."""


# -- the file ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CsvSource:
    """A CSV file read and decoded whole, so a bad encoding is found before any write."""

    name: str  # the file's name, for history notes (no folder: it may name a machine)
    delimiter: str
    header: tuple[str, ...]
    text: str

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Each record after the header with the line it starts on."""
        reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delimiter)
        next(reader, None)
        last = reader.line_num
        for cells in reader:
            yield last + 1, cells
            last = reader.line_num


def read_csv(path: Path, delimiter: str | None = None) -> CsvSource:
    """The file as UTF-8 (a BOM is dropped); the delimiter is sniffed from the header line
    unless given."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise UnusableInput(f"cannot read {path.name}: {error.strerror or error}") from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise UnusableInput(
            f"{path.name} is not UTF-8 text (line {line}); save it as CSV UTF-8"
        ) from error
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise UnusableInput(f"{path.name} is empty or starts with an empty line")
    if delimiter is None:
        delimiter = max(DELIMITERS, key=first_line.count)
        if first_line.count(delimiter) == 0:
            delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = tuple(cell.strip() for cell in next(reader))
    return CsvSource(path.name, delimiter, header, text)


# -- the mapping ------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ColumnMap:
    """Which column (by index) fills which field or attribute."""

    fields: dict[str, int]
    attributes: dict[str, int]
    header: tuple[str, ...]

    @property
    def ignored(self) -> tuple[str, ...]:
        used = set(self.fields.values()) | set(self.attributes.values())
        return tuple(name for index, name in enumerate(self.header)
                     if index not in used and name)


@dataclass(frozen=True, slots=True)
class MappingFile:
    """A mapping TOML: [columns] field = "Column", [types] and [statuses] "word" = value."""

    columns: dict[str, str] = field(default_factory=dict)
    types: dict[str, CiType] = field(default_factory=dict)
    statuses: dict[str, CiStatus] = field(default_factory=dict)


def parse_map_options(options: Sequence[str]) -> dict[str, str]:
    """`field=Column` pairs from the command line."""
    mapping = {}
    for option in options:
        key, equals, column = option.partition("=")
        if not equals or not key.strip():
            raise UnusableInput(f"--map {option!r}: write it as field=Column")
        mapping[key.strip()] = column.strip()
    return mapping


def read_mapping_file(path: Path) -> MappingFile:
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except OSError as error:
        raise UnusableInput(f"cannot read {path.name}: {error.strerror or error}") from error
    except tomllib.TOMLDecodeError as error:
        raise UnusableInput(f"{path.name} is not valid TOML: {error}") from error
    unknown = sorted(set(document) - {"columns", "types", "statuses"})
    if unknown:
        raise UnusableInput(f"{path.name}: unknown section(s) {', '.join(unknown)}"
                            " (known: columns, types, statuses)")
    return MappingFile(
        columns={key: str(value) for key, value in _table(path, document, "columns").items()},
        types=_words(path, document, "types", CiType),
        statuses=_words(path, document, "statuses", CiStatus),
    )


def _table(path: Path, document: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = document.get(name, {})
    if not isinstance(value, Mapping):
        raise UnusableInput(f"{path.name}: [{name}] must be a table")
    return value


def _words(path: Path, document: Mapping[str, Any], name: str, enum: type) -> dict[str, Any]:
    words = {}
    for word, value in _table(path, document, name).items():
        try:
            words[word] = enum(str(value))
        except ValueError:
            known = ", ".join(member.value for member in enum)
            raise UnusableInput(
                f"{path.name}: [{name}] {word!r} = {value!r} is not one of {known}"
            ) from None
    return words


def map_columns(header: Sequence[str], explicit: Mapping[str, str]) -> ColumnMap:
    """Explicit `field=Column` choices, then the default headers for the other fields;
    a column fills one field at most. `field=` (no column) leaves a field unmapped."""
    by_exact = {}
    by_word: dict[str, int] = {}
    for index, name in enumerate(header):
        by_exact.setdefault(name, index)
        by_word.setdefault(normalised(name), index)
    fields: dict[str, int] = {}
    attributes: dict[str, int] = {}
    for key, column in explicit.items():
        target = fields
        name = key
        if key.startswith(ATTRIBUTE_PREFIX) and key[len(ATTRIBUTE_PREFIX):]:
            target, name = attributes, key[len(ATTRIBUTE_PREFIX):]
        elif key not in IMPORT_FIELDS:
            raise UnusableInput(
                f"--map {key}: not a field (fields: {', '.join(IMPORT_FIELDS)},"
                f" or {ATTRIBUTE_PREFIX}KEY)"
            )
        if not column:
            target[name] = -1
            continue
        index = by_exact.get(column, by_word.get(normalised(column)))
        if index is None:
            columns = ", ".join(repr(name) for name in header)
            raise UnusableInput(f"--map {key}={column!r}: the file has no such column"
                                f" (its columns: {columns})")
        target[name] = index
    taken = set(fields.values()) | set(attributes.values())
    for name in IMPORT_FIELDS:
        if name in fields:
            continue
        for word in (name, *HEADERS.get(name, ())):
            index = by_word.get(normalised(word))
            if index is not None and index not in taken:
                fields[name] = index
                taken.add(index)
                break
    for name in _REQUIRED:
        if fields.get(name, -1) < 0:
            tried = ", ".join(repr(word) for word in (name, *HEADERS[name]))
            raise UnusableInput(
                f"no column for {name} (looked for {tried}); name it with --map {name}=COLUMN"
            )
    return ColumnMap(
        {key: index for key, index in fields.items() if index >= 0},
        {key: index for key, index in attributes.items() if index >= 0},
        tuple(header),
    )


# -- looking up organisations and owners ------------------------------------------------
class _Organisation(NamedTuple):
    id: uuid.UUID
    code: str
    name: str


class _Person(NamedTuple):
    id: uuid.UUID
    organisation_id: uuid.UUID
    name: str
    login: str | None


class Directory:
    """Organisations by code or name and people by login or e-mail, read once."""

    def __init__(self, session: Session) -> None:
        self.organisations: dict[str, _Organisation] = {}
        rows = session.execute(select(Organisation.id, Organisation.code, Organisation.name))
        for row in rows:
            organisation = _Organisation(*row)
            self.organisations.setdefault(organisation.name.casefold(), organisation)
            self.organisations[organisation.code.casefold()] = organisation
        self.people: dict[str, list[_Person]] = {}
        rows = session.execute(
            select(Person.id, Person.organisation_id, Person.name, Person.login, Person.email)
        )
        for person_id, organisation_id, name, login, email in rows:
            person = _Person(person_id, organisation_id, name, login)
            for key in {(login or "").casefold(), (email or "").casefold()} - {""}:
                self.people.setdefault(key, []).append(person)

    def organisation(self, word: str) -> _Organisation | None:
        return self.organisations.get(word.strip().casefold())

    def owner(self, word: str, organisation_id: uuid.UUID | None) -> list[_Person]:
        """The people the word may mean: within the organisation, or anywhere for the
        servicedesk's own infrastructure."""
        found = self.people.get(word.strip().casefold(), [])
        if organisation_id is None:
            return list({person.id: person for person in found}.values())
        return list({person.id: person for person in found
                     if person.organisation_id == organisation_id}.values())


# -- one row ----------------------------------------------------------------------------
class RowRefused(Exception):
    """The reason a row is not imported."""


@dataclass(frozen=True, slots=True)
class ImportOptions:
    organisation: str | None = None  # code or name for rows that name none
    types: dict[str, CiType] = field(default_factory=dict)
    statuses: dict[str, CiStatus] = field(default_factory=dict)
    dry_run: bool = False
    batch_size: int = DEFAULT_BATCH


def parse_date(text: str) -> date:
    """A date as YYYY-MM-DD (a time after it is ignored) or D-M-YYYY (also with / or .)."""
    text = text.strip()
    match = _DAY_MONTH_YEAR.fullmatch(text)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text[:10])
    except ValueError:
        pass
    raise ValueError(text)


class RowReader:
    """Turns rows into CI drafts: the column map, the directory and the value words of one
    import, prepared once."""

    def __init__(self, columns: ColumnMap, directory: Directory, options: ImportOptions):
        self.columns = columns
        self.directory = directory
        self.types = type_words(options.types)
        self.statuses = status_words(options.statuses)
        self.default_organisation = options.organisation or ""
        self.width = len(columns.header)

    def draft(self, cells: Sequence[str]) -> tuple[CiDraft, Names]:
        """The CI a row describes and the names its search text needs; RowRefused saying
        why it cannot be imported."""
        if len(cells) > self.width and any(cell.strip() for cell in cells[self.width:]):
            raise RowRefused(f"{len(cells)} fields, the header has {self.width}")
        text = {name: cells[index].strip() if index < len(cells) else ""
                for name, index in self.columns.fields.items()}
        cell = text.get
        written = cell("ci_type", "")
        if not written:
            raise RowRefused("no CI type")
        ci_type = self.types(written)
        if ci_type is None:
            raise RowRefused(f"unknown CI type {written!r}")
        status = CiStatus.IN_GEBRUIK
        if cell("status"):
            found_status = self.statuses(cell("status", ""))
            if found_status is None:
                raise RowRefused(f"unknown status {cell('status')!r}")
            status = found_status
        organisation = None
        written = cell("organisation") or self.default_organisation
        if written:
            organisation = self.directory.organisation(written)
            if organisation is None:
                raise RowRefused(f"unknown organisation {written!r}")
        owner = self._owner(cell("owner", ""), organisation)
        dates: dict[str, date | None] = {}
        for name in _DATE_FIELDS:
            try:
                dates[name] = parse_date(text[name]) if text.get(name) else None
            except ValueError:
                raise RowRefused(
                    f"bad date in {name}: {text[name]!r} (write YYYY-MM-DD or D-M-YYYY)"
                ) from None
        attributes = {key: cells[index].strip() for key, index in self.columns.attributes.items()
                      if index < len(cells) and cells[index].strip()}
        draft = CiDraft(
            ci_type=ci_type, name=cell("name", ""), asset_tag=cell("asset_tag"),
            serial_number=cell("serial_number"), hostname=cell("hostname"),
            ip_address=cell("ip_address"), location=cell("location"), status=status,
            owner_id=owner.id if owner else None,
            organisation_id=organisation.id if organisation else None,
            configuration=cell("configuration"), attributes=attributes, notes=cell("notes"),
            external_ref=cell("external_ref"), **dates,
        )
        try:
            draft = validate_ci(draft)
        except InvalidInput as error:
            message = str(error)
            named = message.startswith((error.field, field_name(error.field)))
            raise RowRefused(message if named else f"{error.field}: {message}") from None
        names = Names(
            owner_name=owner.name if owner else None,
            owner_login=owner.login if owner else None,
            organisation_name=organisation.name if organisation else None,
            organisation_code=organisation.code if organisation else None,
        )
        return draft, names

    def _owner(self, written: str, organisation: _Organisation | None) -> _Person | None:
        if not written:
            return None
        people = self.directory.owner(written, organisation.id if organisation else None)
        where = f" at {organisation.code}" if organisation else ""
        if not people:
            raise RowRefused(f"unknown owner {written!r}{where}")
        if len(people) > 1:
            raise RowRefused(f"owner {written!r} is more than one person{where}")
        return people[0]


def identity(draft: CiDraft) -> tuple[str, ...]:
    """What makes two rows the same CI (see the module docstring)."""
    if draft.external_ref:
        return ("external reference", draft.external_ref)
    if draft.asset_tag:
        return ("asset tag", draft.asset_tag)
    if draft.serial_number:
        return ("serial number", draft.ci_type.value, draft.serial_number)
    return ("name", str(draft.organisation_id), draft.ci_type.value, draft.name)


def _describe(key: tuple[str, ...]) -> str:
    if key[0] == "serial number":
        return f"{key[1]} with serial number {key[2]!r}"
    if key[0] == "name":
        return f"{key[2]} named {key[3]!r} at the same organisation"
    return f"{key[0]} {key[1]!r}"


# -- the whole file ---------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Refusal:
    line: int
    reason: str
    cells: tuple[str, ...]


@dataclass(slots=True)
class ImportReport:
    rows: int = 0
    imported: int = 0
    skipped: int = 0  # already in the database
    refused: list[Refusal] = field(default_factory=list)
    # Imported rows per organisation code; "" is the servicedesk's own infrastructure.
    by_organisation: Counter[str] = field(default_factory=Counter)

    def refuse(self, line: int, reason: str, cells: Sequence[str]) -> None:
        self.refused.append(Refusal(line, reason, tuple(cells)))


@dataclass(frozen=True, slots=True)
class _Candidate:
    line: int
    draft: CiDraft
    names: Names
    key: tuple[str, ...]
    cells: tuple[str, ...]


Progress = Callable[[int], None]  # rows read so far


def import_cis(
    *, engine: Engine, actor: Actor, source: CsvSource, columns: ColumnMap,
    options: ImportOptions, now: datetime, progress: Progress | None = None,
) -> ImportReport:
    """Import every row that can be, in batches; refused rows are reported with their line
    and reason. Dry run: the same checks and report, nothing written."""
    with read_session(engine) as session:
        require(actor, Action.CMDB_IMPORT)  # in a session: a refusal is audited when it ends
        directory = Directory(session)
    if options.organisation and directory.organisation(options.organisation) is None:
        raise UnusableInput(f"--organisation {options.organisation!r}: no such organisation")
    reader = RowReader(columns, directory, options)
    report = ImportReport()
    first_line_of: dict[tuple[str, ...], int] = {}
    tag_line: dict[str, int] = {}
    batch: list[_Candidate] = []
    for line, cells in source.rows():
        if not any(cell.strip() for cell in cells):
            continue  # blank lines and rows of bare delimiters, as spreadsheets export
        report.rows += 1
        try:
            draft, names = reader.draft(cells)
        except RowRefused as refusal:
            report.refuse(line, str(refusal), cells)
            continue
        key = identity(draft)
        if key in first_line_of:
            report.refuse(line, f"duplicate of line {first_line_of[key]} (same"
                                f" {_describe(key)})", cells)
            continue
        if draft.asset_tag and draft.asset_tag in tag_line:
            report.refuse(line, f"asset tag {draft.asset_tag!r} is already used on line"
                                f" {tag_line[draft.asset_tag]}", cells)
            continue
        first_line_of[key] = line
        if draft.asset_tag:
            tag_line[draft.asset_tag] = line
        batch.append(_Candidate(line, draft, names, key, tuple(cells)))
        if len(batch) >= options.batch_size:
            _store(engine, actor, source.name, batch, options, now, report)
            batch = []
            if progress is not None:
                progress(report.rows)
    if batch:
        _store(engine, actor, source.name, batch, options, now, report)
    if progress is not None:
        progress(report.rows)
    return report


def _store(
    engine: Engine, actor: Actor, source_name: str, batch: Sequence[_Candidate],
    options: ImportOptions, now: datetime, report: ImportReport,
) -> None:
    """Skip what is present, refuse asset-tag clashes, insert the rest: one transaction."""
    opened = read_session(engine) if options.dry_run else write_session(engine, actor)
    with opened as session:
        present, tags = _present(session, batch)
        items: list[dict[str, Any]] = []
        history: list[dict[str, Any]] = []
        for candidate in batch:
            if candidate.key in present:
                report.skipped += 1
                continue
            tag = candidate.draft.asset_tag
            if tag is not None and tag in tags:
                report.refuse(candidate.line, f"asset tag {tag!r} already belongs to"
                                              f" {tags[tag]!r}", candidate.cells)
                continue
            values = ci_values(candidate.draft, candidate.names, now)
            items.append(values)
            history.append({
                "id": new_id(), "ci_id": values["id"], "at": now, "operator_id": actor.id,
                "field": CiHistoryField.IMPORTED, "new_value": candidate.draft.name,
                "note": f"{source_name} line {candidate.line}",
            })
            report.by_organisation[candidate.names.organisation_code or ""] += 1
        if items and not options.dry_run:
            # Core, not the ORM's bulk insert: that groups rows by which values are None
            # and sent a 20k-row file as thousands of statements.
            session.execute(insert(ConfigurationItem.__table__), items)
            session.execute(insert(CiHistory.__table__), history)
        report.imported += len(items)


def _present(
    session: Session, batch: Sequence[_Candidate]
) -> tuple[set[tuple[str, ...]], dict[str, str]]:
    """The batch's identities already in the database, and the batch's asset tags that
    are taken, with the name of the CI holding each."""
    item = ConfigurationItem
    present: set[tuple[str, ...]] = set()
    refs = [c.draft.external_ref for c in batch if c.draft.external_ref]
    if refs:
        found = session.execute(select(item.external_ref).where(item.external_ref.in_(refs)))
        present |= {("external reference", ref) for (ref,) in found}
    tags: dict[str, str] = {}
    asked = [c.draft.asset_tag for c in batch if c.draft.asset_tag]
    if asked:
        rows = session.execute(select(item.asset_tag, item.name).where(item.asset_tag.in_(asked)))
        tags = {tag: name for tag, name in rows}
        present |= {("asset tag", tag) for tag in tags}
    serials = [c.draft.serial_number for c in batch if c.key[0] == "serial number"]
    if serials:
        rows = session.execute(
            select(item.ci_type, item.serial_number).where(item.serial_number.in_(serials))
        )
        present |= {("serial number", CiType(kind).value, serial) for kind, serial in rows}
    named = [c.draft.name for c in batch if c.key[0] == "name"]
    if named:
        rows = session.execute(
            select(item.organisation_id, item.ci_type, item.name).where(item.name.in_(named))
        )
        present |= {("name", str(organisation), CiType(kind).value, name)
                    for organisation, kind, name in rows}
    return present, tags


def write_refused_csv(
    refused: Sequence[Refusal], header: Sequence[str], stream: TextIO, delimiter: str
) -> None:
    """The refused rows as they were, after their line and reason: fix and import again
    (the two extra columns are ignored then)."""
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["line", "reason", *header])
    for refusal in refused:
        writer.writerow([refusal.line, refusal.reason, *refusal.cells])
