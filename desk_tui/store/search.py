"""The CMDB search index: SQLite FTS5 or PostgreSQL trigrams over each CI's search text.

`configuration_item.search_text` holds what an operator may type to find a CI (name, asset
tag, serial, hostname, IP address, owner, location, organisation), written by the one
function here, `ci_search_text`. On SQLite an FTS5 table mirrors it through triggers and
answers word-prefix queries; FTS5 needs stable integer row ids, which a table keyed by UUID
does not have (VACUUM may renumber its rowids), so `ci_search_row` hands them out. On
PostgreSQL a trigram index (pg_trgm) serves substring search with ILIKE; where the
extension cannot be installed the same query runs as a scan.

The index lives outside the SQLAlchemy metadata: `install_ci_search` creates it for a new
database and in the migration that introduced it; `is_search_object` lets schema
comparisons skip it.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from sqlalchemy import CTE, String, and_, bindparam, func, literal, select, text, true
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from desk_tui.store.models import ConfigurationItem, Organisation

SEARCH_PREFIX = "ci_search"
_TRIGRAM_INDEX = "ci_search_trgm"
_SQLITE_DDL = (
    "CREATE TABLE ci_search_row (id INTEGER PRIMARY KEY, ci_id CHAR(32) NOT NULL UNIQUE)",
    # Prefix indexes for 1 to 3 characters: as-you-type queries stay index lookups (a
    # one-letter prefix without one took 10-17 ms over 100k CIs, with one under 1 ms).
    "CREATE VIRTUAL TABLE ci_search USING fts5("
    "body, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')",
    """CREATE TRIGGER ci_search_insert AFTER INSERT ON configuration_item BEGIN
        INSERT INTO ci_search_row (ci_id) VALUES (new.id);
        INSERT INTO ci_search (rowid, body)
            VALUES ((SELECT id FROM ci_search_row WHERE ci_id = new.id), new.search_text);
    END""",
    """CREATE TRIGGER ci_search_update AFTER UPDATE OF search_text ON configuration_item
    WHEN old.search_text IS NOT new.search_text BEGIN
        UPDATE ci_search SET body = new.search_text
            WHERE rowid = (SELECT id FROM ci_search_row WHERE ci_id = new.id);
    END""",
    """CREATE TRIGGER ci_search_delete AFTER DELETE ON configuration_item BEGIN
        DELETE FROM ci_search
            WHERE rowid = (SELECT id FROM ci_search_row WHERE ci_id = old.id);
        DELETE FROM ci_search_row WHERE ci_id = old.id;
    END""",
)
_SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS ci_search_delete",
    "DROP TRIGGER IF EXISTS ci_search_update",
    "DROP TRIGGER IF EXISTS ci_search_insert",
    "DROP TABLE IF EXISTS ci_search",
    "DROP TABLE IF EXISTS ci_search_row",
)
# FTS5's unicode61 tokenizer: letters and digits make words, everything else separates.
_WORD = re.compile(r"[^\W_]+")
# Matches taken from the index before they are ranked (see matching_ci_ids).
CANDIDATES = 200
TRIGRAM = 3  # the shortest substring a trigram index can look up
WORD_START = r"(^|[ .\-/@])"  # where a word starts in the search text (PostgreSQL regex)
_Item = TypeVar("_Item")


def is_search_object(name: str | None) -> bool:
    """Whether a table, trigger or index belongs to the search index."""
    return bool(name) and str(name).startswith(SEARCH_PREFIX)


def ci_search_text(
    *,
    name: str,
    asset_tag: str | None = None,
    serial_number: str | None = None,
    hostname: str | None = None,
    ip_address: str | None = None,
    location: str | None = None,
    configuration: str | None = None,
    owner_name: str | None = None,
    owner_login: str | None = None,
    organisation_name: str | None = None,
    organisation_code: str | None = None,
) -> str:
    """The text a CI is found by: every given part, one space apart, followed by the same
    without diacritics when that differs, so a substring search (PostgreSQL) finds
    "Súdwest" by "sudwest" (SQLite's FTS5 folds them itself)."""
    parts = (
        name, asset_tag, serial_number, hostname, ip_address, location, configuration,
        owner_name, owner_login, organisation_name, organisation_code,
    )
    text = " ".join(part.strip() for part in parts if part and part.strip())
    folded = fold(text)
    return text if folded == text else f"{text} {folded}"


def fold(text: str) -> str:
    """`text` without diacritics: é → e, ú → u (compatibility decomposition)."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def install_ci_search(connection: Connection) -> None:
    """Create the index for the dialect and fill it from the current rows."""
    if connection.dialect.name == "sqlite":
        for statement in _SQLITE_DDL:
            connection.exec_driver_sql(statement)
        connection.exec_driver_sql(
            "INSERT INTO ci_search_row (ci_id) SELECT id FROM configuration_item"
        )
        connection.exec_driver_sql(
            "INSERT INTO ci_search (rowid, body) SELECT r.id, ci.search_text"
            " FROM ci_search_row r JOIN configuration_item ci ON ci.id = r.ci_id"
        )
        return
    schema = _install_pg_trgm(connection)
    if schema is not None:
        connection.exec_driver_sql(
            f"CREATE INDEX {_TRIGRAM_INDEX} ON configuration_item"
            f" USING gin (search_text {schema}.gin_trgm_ops)"
        )


def remove_ci_search(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        for statement in _SQLITE_DROP:
            connection.exec_driver_sql(statement)
    else:
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {_TRIGRAM_INDEX}")


def _install_pg_trgm(connection: Connection) -> str | None:
    """The schema holding pg_trgm, installing it (a trusted extension: any database owner
    may) into public if absent; None where it is missing or refused, and search works as
    a scan. Extensions belong to the database, not to one schema on the search path."""
    installed = (
        "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'"
    )
    schema = connection.exec_driver_sql(installed).scalar()
    if schema is not None:
        return schema
    available = connection.exec_driver_sql(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'"
    ).first()
    if available is None:
        return None
    try:
        with connection.begin_nested():
            connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
    except Exception:  # refused: no privilege; the scan fallback answers
        return None
    return connection.exec_driver_sql(installed).scalar()


def search_words(typed: str) -> list[str]:
    """The whitespace-separated words of what was typed; each must match."""
    return [word for word in typed.split() if _WORD.search(word)]


def fts5_query(words: Sequence[str]) -> str:
    """An FTS5 MATCH expression: each typed word a phrase of its parts, the last part a
    prefix, so "ws-zw-01" finds WS-ZW-0123 and "10.12.3" finds 10.12.3.4."""
    phrases = []
    for word in words:
        tokens = _WORD.findall(word)
        if tokens:
            phrases.append('"' + " ".join(tokens) + '"*')
    return " ".join(phrases)


def _like_pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matching_ci_ids(
    connection: Connection, typed: str, limit: int = 50,
    organisation_id: uuid.UUID | None = None,
) -> list[uuid.UUID]:
    """The CIs (of `organisation_id` only, when given) whose search text matches every
    typed word, best first, at most `limit`.

    The database returns up to CANDIDATES matches unordered (an index lookup that stops
    early); they are ranked here. A specific search has fewer matches than that, so all
    are ranked; a word most CIs share ("gemeente") gets a fair sample at once instead of
    a ranking of every row, which costs hundreds of milliseconds over 100k CIs.
    """
    words = search_words(typed)
    if not words:
        return []
    fetch = max(limit, CANDIDATES)
    if connection.dialect.name == "sqlite":
        found = _sqlite_matches(connection, words, fetch, organisation_id)
    else:
        patterns = postgresql_patterns(typed)
        matches = postgresql_matches([regex for regex, _ in patterns], ("id",),
                                     organisation_id is not None)
        values: dict[str, object] = {
            f"ci_match_w{index}": pattern for index, (_, pattern) in enumerate(patterns)}
        values["ci_match_org"] = organisation_id
        found = [(row.id, row.search_text)
                 for row in connection.execute(select(matches).limit(fetch), values)]
    return [ci_id for ci_id, _body in ranked(typed, found, lambda hit: hit[1])[:limit]]


def ranked(typed: str, items: Iterable[_Item], body: Callable[[_Item], str]) -> list[_Item]:
    """`items` best first for what was typed, `body` giving each one's search text."""
    keys = [fold(word).lower() for word in search_words(typed)]
    return sorted(items, key=lambda item: _relevance(keys, body(item)))


def _sqlite_matches(
    connection: Connection, words: Sequence[str], fetch: int, organisation_id: uuid.UUID | None
) -> list[tuple[uuid.UUID, str]]:
    query = fts5_query(words)
    scope = ""
    if organisation_id is not None:
        # The organisation's code is a word of every one of its CIs' search text: the
        # full-text index intersects it with the typed words, so a word common elsewhere
        # ("dre" looked up for Medemblik) is not walked row by row. The join keeps the
        # answer exact; "+" stops SQLite from walking the organisation's index instead.
        code = connection.execute(
            text("SELECT code FROM organisation WHERE id = :org"), {"org": organisation_id.hex}
        ).scalar()
        tokens = _WORD.findall(code or "")
        if tokens:
            query = f'{query} "{" ".join(tokens)}"'
        scope = " JOIN configuration_item ci ON ci.id = r.ci_id AND +ci.organisation_id = :org"
    rows = connection.execute(
        text(
            "SELECT r.ci_id, ci_search.body FROM ci_search"
            f" JOIN ci_search_row r ON r.id = ci_search.rowid{scope}"
            " WHERE ci_search MATCH :query LIMIT :fetch"
        ),
        {"query": query, "fetch": fetch,
         "org": organisation_id.hex if organisation_id else None},
    )
    return [(uuid.UUID(hex=ci_id), body) for ci_id, body in rows]


def _escaped_like(value: ColumnElement[str]) -> ColumnElement[str]:
    """`value` (an SQL expression) with LIKE's wildcards taken literally."""
    for special in ("\\", "%", "_"):
        value = func.replace(value, special, "\\" + special)
    return value


def postgresql_patterns(typed: str) -> list[tuple[bool, str]]:
    """Per typed word, (whether it is a word-start regex, its pattern): a substring from
    three characters (the trigram index serves ILIKE); a shorter word matches the start
    of a word, as a regex whose trigrams the index still serves."""
    patterns = []
    for word in search_words(typed):
        folded = fold(word)
        if len(folded) >= TRIGRAM:
            patterns.append((False, _like_pattern(folded)))
        else:
            patterns.append((True, WORD_START + re.escape(folded)))
    return patterns


def postgresql_matches(
    regex: Sequence[bool], columns: Sequence[str], scoped: bool, name: str = "ci_match",
) -> CTE:
    """The CIs whose search text matches every typed word (`regex`: per word, from
    postgresql_patterns; its pattern the bind parameter `{name}_w0`, `{name}_w1`, …), of
    the organisation `{name}_org` only when `scoped`, unordered: their `columns` and
    `search_text`, as a CTE the caller limits (to CANDIDATES) and may join to more in the
    same statement (the CI's owner and organisation by name): one round trip for the
    whole search. Built from the words' kinds only, so a caller can build it once per
    shape: building the statement cost more than running it.

    The matching runs in a MATERIALIZED CTE and the limit is taken outside it: the
    planner then plans the scan for every match (a CTE is planned for all its rows) and
    takes the trigram index unless most CIs match, when a scan finds enough at once (a
    CTE is read as far as it is needed). With the limit beside the condition it chose a
    scan "until enough rows" even for rare words, which read the whole table.

    For one organisation its code, a word of each of its CIs' search text, is matched as
    well, looked up inside the statement: the trigram index then intersects it with the
    typed words, so a word common elsewhere is not rechecked row by row; the organisation
    is compared in a form its own index cannot serve, which only walked its CIs.
    """
    item = ConfigurationItem.__table__
    body = item.c.search_text
    conditions: list[ColumnElement[bool]] = []
    for index, is_regex in enumerate(regex):
        pattern = bindparam(f"{name}_w{index}", type_=String())
        conditions.append(body.op("~*")(pattern) if is_regex else body.ilike(pattern))
    if scoped:
        organisation = bindparam(f"{name}_org", type_=item.c.organisation_id.type)
        code = (
            select(Organisation.code).where(Organisation.id == organisation)
            .scalar_subquery()
        )
        # The code follows a space in the text: "% med%" gives trigrams even for a code
        # of one or two letters (pg_trgm pads a word's start).
        conditions.append(body.ilike(literal("% ") + _escaped_like(code) + literal("%")))
        conditions.append((item.c.organisation_id == organisation).is_(true()))
    matches = (
        select(*(item.c[column] for column in columns if column != "search_text"), body)
        .where(and_(*conditions))
        .cte(name)
        .prefix_with("MATERIALIZED")
    )
    return matches


def _relevance(keys: Sequence[str], body: str) -> tuple[int, int, str]:
    """Earlier is better: the typed words near the start of the text (the name and tags
    come first), then shorter texts, then alphabetical."""
    folded = fold(body).lower()
    end = len(folded)
    position = 0
    for key in keys:
        found = folded.find(key)
        position += found if found >= 0 else end
    return (position, end, folded)


_BACKFILL_SELECT = """
SELECT ci.id, ci.name, ci.asset_tag, ci.serial_number, ci.hostname, ci.ip_address,
       ci.location, ci.configuration, p.name, p.login, o.name, o.code
FROM configuration_item ci
LEFT JOIN person p ON p.id = ci.owner_id
LEFT JOIN organisation o ON o.id = ci.organisation_id
"""


def backfill_search_text(connection: Connection, batch: int = 2000) -> int:
    """Write every CI's search text from its current row (the migration that added the
    column); the SQLite triggers carry it into the index. Returns the rows written."""
    update = text("UPDATE configuration_item SET search_text = :body WHERE id = :id")
    rows = connection.exec_driver_sql(_BACKFILL_SELECT).all()
    for start in range(0, len(rows), batch):
        connection.execute(update, [
            {"id": row[0], "body": ci_search_text(
                name=row[1], asset_tag=row[2], serial_number=row[3], hostname=row[4],
                ip_address=row[5], location=row[6], configuration=row[7], owner_name=row[8],
                owner_login=row[9], organisation_name=row[10], organisation_code=row[11],
            )}
            for row in rows[start:start + batch]
        ])
    return len(rows)
