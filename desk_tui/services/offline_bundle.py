"""The file an election site hands back: records as JSON lines in a zip, with a manifest
and an Ed25519 signature over it. The manifest carries the records' SHA-256, so one
signature covers everything; the central database keeps only the site's public key.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import uuid
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import Date, Table, Uuid

from desk_tui.services.errors import ServiceError
from desk_tui.store.types import UtcDateTime

FORMAT = "desk-offline-bundle/1"
MANIFEST = "manifest.json"
RECORDS = "records.jsonl"
SIGNATURE = "signature"


class BundleRefused(ServiceError):
    """The bundle is not one desk may import: altered, unsigned, unknown site, not a bundle."""


@dataclass(frozen=True, slots=True)
class KeyPair:
    private_hex: str
    public_hex: str


def new_key_pair() -> KeyPair:
    """A fresh Ed25519 key pair for one site, as hex of the raw bytes."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
    )

    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return KeyPair(private.hex(), public.hex())


def _sign(private_hex: str, message: bytes) -> str:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(private_hex)).sign(message).hex()


def _verified(public_hex: str, message: bytes, signature_hex: str) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex))
        key.verify(bytes.fromhex(signature_hex), message)
    except (InvalidSignature, ValueError):
        return False
    return True


# -- values as JSON ---------------------------------------------------------------------------
def to_json(value: Any) -> Any:
    """A column value as JSON: ids and instants as text, enums by value."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def row_json(row: Mapping[str, Any]) -> dict[str, Any]:
    return {key: to_json(value) for key, value in row.items()}


def from_json(table: Table, data: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON record back into column values of `table`; unknown keys are refused."""
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in table.c:
            raise BundleRefused("the bundle has a field “{field}” that {table} lacks", field=key,
                                table=table.name)
        values[key] = column_value(table, key, value)
    return values


def column_value(table: Table, key: str, value: Any) -> Any:
    if value is None:
        return None
    kind = table.c[key].type
    if isinstance(kind, Uuid):
        return uuid.UUID(str(value))
    if isinstance(kind, UtcDateTime):
        return datetime.fromisoformat(str(value))
    if isinstance(kind, Date):
        return date.fromisoformat(str(value))
    return value


# -- writing and reading the file ----------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Bundle:
    manifest: dict[str, Any]
    records: list[dict[str, Any]]

    @property
    def site(self) -> str:
        return str(self.manifest["site"])

    @property
    def bundle_id(self) -> str:
        return str(self.manifest["bundle_id"])


def write_bundle(
    path: Path, *, site: str, private_hex: str, manifest: Mapping[str, Any],
    records: Iterable[Mapping[str, Any]],
) -> int:
    """Write the signed bundle to `path` (via a temporary file, so a failed write leaves
    no half bundle); returns its size in bytes."""
    lines = b"".join(
        json.dumps(record, ensure_ascii=False, sort_keys=True).encode() + b"\n"
        for record in records
    )
    full = {
        **manifest, "format": FORMAT, "site": site,
        "sha256": hashlib.sha256(lines).hexdigest(),
    }
    manifest_bytes = json.dumps(full, ensure_ascii=False, sort_keys=True, indent=1).encode()
    signature = _sign(private_hex, manifest_bytes)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, manifest_bytes)
        archive.writestr(RECORDS, lines)
        archive.writestr(SIGNATURE, signature)
    data = buffer.getvalue()
    temporary = path.with_name(path.name + ".part")
    # Calls hold personal data: the bundle is readable by its owner only.
    descriptor = os.open(temporary, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    temporary.replace(path)
    return len(data)


def read_bundle(path: Path) -> tuple[Bundle, bytes, str]:
    """The bundle, its manifest bytes and signature, unverified; BundleRefused when the
    file is not a desk bundle at all."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if not {MANIFEST, RECORDS, SIGNATURE} <= names:
                raise BundleRefused("{file} is not a desk offline bundle (members missing)",
                                    file=path.name)
            manifest_bytes = archive.read(MANIFEST)
            lines = archive.read(RECORDS)
            signature = archive.read(SIGNATURE).decode("ascii", "replace").strip()
    except FileNotFoundError as error:
        raise BundleRefused("no bundle at {path}", path=str(path)) from error
    except (zipfile.BadZipFile, OSError) as error:
        raise BundleRefused("{file} is not a desk offline bundle: {error}", file=path.name,
                            error=str(error)) from error
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as error:
        raise BundleRefused("{file}: the manifest is not readable; refused",
                            file=path.name) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleRefused("{file} is not a {format} bundle", file=path.name, format=FORMAT)
    if hashlib.sha256(lines).hexdigest() != manifest.get("sha256"):
        raise BundleRefused(
            "{file} was altered after it was signed (its records do not match the signed"
            " checksum); refused, nothing imported", file=path.name,
        )
    try:
        records = [json.loads(line) for line in lines.splitlines() if line.strip()]
    except ValueError as error:
        raise BundleRefused("{file}: a record is not readable; refused",
                            file=path.name) from error
    return Bundle(manifest, records), manifest_bytes, signature


def verify(bundle_path: Path, manifest_bytes: bytes, signature: str, public_hex: str,
           site: str) -> None:
    if not _verified(public_hex, manifest_bytes, signature):
        raise BundleRefused(
            "{file} was altered or was not signed by site {site}'s key; refused, nothing"
            " imported", file=bundle_path.name, site=site,
        )
