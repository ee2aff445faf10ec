"""The hash chain's canonical form: one definition shared by the writer and the verifier.

Why: the regulation requires that unauthorised addition, deletion or change of system data be
detectable (Art. 20 (四)) and that the platform keep an audit trail (Art. 23). Each audit event's
hash covers its whole content and the previous event's hash, so changing, removing or reordering
any row breaks every later link.

The canonical bytes are sorted-key JSON with fixed separators, UTF-8, ``ensure_ascii=False``. They
are computed from the *Python values as loaded from the database*, never from the stored JSON text,
because PostgreSQL's ``jsonb`` reorders keys and normalises numbers. Values are made JSON-safe
(dates, Decimals, UUIDs and floats become strings) before the first hash, so a database round trip
cannot change them.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from django.core.serializers.json import DjangoJSONEncoder

GENESIS_HASH = "0" * 64

# The hashed fields, in the order the verifier selects them (``values_list``). ``prev_hash`` is
# last; the stored ``hash`` column follows it in the verifier's rows but is not itself hashed.
HASHED_FIELDS: tuple[str, ...] = (
    "id",
    "occurred_at",
    "actor_id",
    "actor_label",
    "role",
    "scope",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "reason",
    "ip",
    "user_agent",
    "prev_hash",
)

_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
_UTC_ZONE = ZoneInfo("UTC")  # psycopg's tzinfo for a UTC session; ZoneInfo instances are cached


def _refuse_type(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} is not JSON-safe; pass it through json_safe() first")


def _c_encoder() -> Callable[[Any], str] | None:
    """The C encoder ``_CANONICAL`` builds on every call, built once (the verifier's hot path)."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return None
    encoder = make(None, _refuse_type, json.encoder.encode_basestring, None, ":", ",", True, False, False)
    return lambda value: "".join(encoder(value, 0))


_encode = _c_encoder() or _CANONICAL.encode
_scan = json.JSONDecoder().scan_once  # a JSON document from offset 0, without json.loads' checks


# orjson writes the same bytes as the reference encoder for every JSON-safe value (property-tested in
# tests/test_chain.py) in a fifth of the time; anything it declines — an int beyond 64 bits, a str
# subclass, a non-str key — goes to the reference encoder, which decides.
_ORJSON_OPTIONS = (
    orjson.OPT_SORT_KEYS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)


def canonical_bytes(value: Any) -> bytes:
    """Sorted-key, compact, UTF-8 JSON: the only byte form ever hashed or signed."""
    try:
        return orjson.dumps(value, option=_ORJSON_OPTIONS)
    except TypeError:  # orjson.JSONEncodeError
        return _encode(value).encode("utf-8")


def iso_utc(moment: datetime) -> str:
    """``2026-11-03T01:02:03.000004+00:00``: always UTC, always six fractional digits."""
    zone = moment.tzinfo
    if zone is not UTC and zone is not _UTC_ZONE:
        moment = moment.astimezone(UTC)
    return moment.isoformat(timespec="microseconds")


_OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_CANONICAL_IPV4 = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")


def canonical_ip(value: str | None) -> str | None:
    """One spelling per address, whatever form the database returns it in.

    PostgreSQL's ``inet`` prints some IPv6 forms differently from Python; parsing both sides makes
    the hash independent of that. IPv4-mapped IPv6 addresses are reduced to plain IPv4. A dotted
    quad without leading zeros is already canonical and skips the (slow) parse.
    """
    if value is None or value == "":
        return None
    if _CANONICAL_IPV4.fullmatch(value):
        return value
    return _parse_ip(value)


@lru_cache(maxsize=4096)
def _parse_ip(value: str) -> str:
    address = ipaddress.ip_address(value)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return str(address)


def event_content(row: Sequence[Any]) -> dict[str, Any]:
    """The hashed content of one event, from its values in :data:`HASHED_FIELDS` order."""
    return {
        "id": row[0],
        "occurred_at": iso_utc(row[1]),
        "actor_id": row[2],
        "actor_label": row[3],
        "role": row[4],
        "scope": row[5],
        "action": row[6],
        "object_type": row[7],
        "object_id": row[8],
        "before": row[9],
        "after": row[10],
        "reason": row[11],
        "ip": canonical_ip(row[12]),
        "user_agent": row[13],
        "prev_hash": row[14],
    }


def row_digest(row: Sequence[Any]) -> str:
    """SHA-256 (hex) of ``canonical_bytes(event_content(row))``: the hash every event carries."""
    return hashlib.sha256(canonical_bytes(event_content(row))).hexdigest()


def _parse(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return _scan(text, 0)[0]
    except StopIteration as error:  # the C scanner's way of saying "not JSON"
        raise ValueError(f"not JSON: {text[:40]!r}") from error


def row_digest_json_text(row: Sequence[Any]) -> str:
    """:func:`row_digest` for rows whose ``before``/``after`` are still JSON text (PostgreSQL raw fetch).

    The verifier's hot loop (see ``verify.py``), hence no intermediate list.
    """
    content = event_content(row)
    content["before"] = _parse(row[9])
    content["after"] = _parse(row[10])
    return hashlib.sha256(canonical_bytes(content)).hexdigest()


def _without_nul(value: Any) -> Any:
    """PostgreSQL refuses U+0000 in text and jsonb; replace it so both databases store the same."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    if isinstance(value, dict):
        return {_without_nul(key): _without_nul(item) for key, item in value.items()}
    return value


def json_safe(value: Mapping[str, Any] | Sequence[Any] | None) -> Any:
    """The JSON value exactly as it will come back from the database.

    Dates, times, Decimals, UUIDs and lazy strings go through ``DjangoJSONEncoder``; keys become
    strings; tuples become lists; floats (and NaN/Infinity) become their string spelling, because
    ``jsonb`` would rewrite ``1e+20`` as ``100000000000000000000`` and break the hash.
    """
    if value is None:
        return None
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return _without_nul(json.loads(text, parse_float=str, parse_constant=str))


def clean_text(value: str) -> str:
    """Text as both databases store it (no U+0000)."""
    return value.replace("\x00", "\ufffd")


def checkpoint_message(last_event_id: int, head_hash: str, event_count: int) -> bytes:
    """The bytes an audit checkpoint signs; the ``purpose`` tag keeps them from meaning anything else."""
    return canonical_bytes(
        {
            "purpose": "govhall.audit.checkpoint.v1",
            "last_event_id": last_event_id,
            "head_hash": head_hash,
            "event_count": event_count,
        }
    )
