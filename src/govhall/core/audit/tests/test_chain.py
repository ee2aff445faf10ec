"""The canonical form: the fast paths hash exactly what the specification says, byte for byte."""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govhall.core.audit.chain import (
    GENESIS_HASH,
    canonical_bytes,
    canonical_ip,
    checkpoint_message,
    event_content,
    iso_utc,
    json_safe,
    row_digest,
    row_digest_json_text,
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
# The values that reach the hash: timezone.now() (UTC), psycopg (UTC), Django on SQLite (UTC);
# Beijing and a fixed offset for good measure (zones with DST gaps make equality ambiguous).
zones = st.sampled_from([dt.UTC, ZoneInfo("UTC"), ZoneInfo("Asia/Shanghai"), dt.timezone(dt.timedelta(hours=-5))])
aware_datetimes = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=zones)


def specification(row) -> str:
    """The definition: SHA-256 of sorted-key compact UTF-8 JSON over the content fields."""
    text = json.dumps(event_content(row), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def like_jsonb(value) -> str | None:
    """JSON text as PostgreSQL prints jsonb: spaces after separators, keys in another order."""
    if value is None:
        return None
    if isinstance(value, dict):
        value = dict(sorted(value.items(), key=lambda item: (len(item[0]), item[0]), reverse=True))
    return json.dumps(value, ensure_ascii=False)


rows = st.tuples(
    st.integers(1, 2**62),
    aware_datetimes,
    st.none() | st.integers(1, 2**62),
    st.text(max_size=20),
    st.text(max_size=10),
    st.text(max_size=10),
    st.text(max_size=20),
    st.text(max_size=20),
    st.text(max_size=20),
    json_values,
    json_values,
    st.text(),
    st.none() | st.ip_addresses().map(str),
    st.text(max_size=50),
    st.just(GENESIS_HASH) | st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
)


@given(rows)
def test_row_digest_is_the_specification(row):
    assert row_digest(row) == specification(row)


@given(rows)
def test_hashing_from_json_text_equals_hashing_from_values(row):
    as_text = (*row[:9], like_jsonb(row[9]), like_jsonb(row[10]), *row[11:])
    assert row_digest_json_text(as_text) == row_digest(row)


@given(json_values)
def test_canonical_bytes_are_sorted_compact_utf8(value):
    assert canonical_bytes(value) == json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def slow_canonical_ip(value: str) -> str:
    address = ipaddress.ip_address(value)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return str(address)


@given(st.ip_addresses())
def test_canonical_ip_fast_path_agrees_with_the_parser(address):
    assert canonical_ip(str(address)) == slow_canonical_ip(str(address))
    assert canonical_ip(address.exploded) == slow_canonical_ip(str(address))


def test_canonical_ip_spellings():
    assert canonical_ip("::FFFF:1.2.3.4") == "1.2.3.4"
    assert canonical_ip("2001:DB8:0:0::1") == "2001:db8::1"
    assert canonical_ip("") is None
    assert canonical_ip(None) is None


@given(aware_datetimes)
def test_iso_utc_is_the_same_instant_in_utc_with_microseconds(moment):
    text = iso_utc(moment)
    assert text.endswith("+00:00")
    assert len(text) == len("2026-01-01T00:00:00.000000+00:00")
    assert dt.datetime.fromisoformat(text) == moment


def test_iso_utc_accepts_every_utc_tzinfo():
    instant = dt.datetime(2026, 11, 3, 1, 2, 3, 4, tzinfo=dt.UTC)
    beijing = instant.astimezone(ZoneInfo("Asia/Shanghai"))
    for moment in (instant, instant.replace(tzinfo=ZoneInfo("UTC")), beijing):
        assert iso_utc(moment) == "2026-11-03T01:02:03.000004+00:00"


floaty = st.recursive(
    st.none() | st.floats() | st.decimals(allow_nan=False) | st.dates() | st.uuids() | st.text(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)


@given(floaty)
def test_json_safe_values_survive_a_database_round_trip(value):
    safe = json_safe(value)
    through_jsonb = json.loads(like_jsonb(safe)) if safe is not None else None
    assert canonical_bytes(through_jsonb) == canonical_bytes(safe)
    assert "\x00" not in json.dumps(safe, ensure_ascii=False)


def test_checkpoint_message_is_canonical():
    assert checkpoint_message(10, "ab", 10) == (
        b'{"event_count":10,"head_hash":"ab","last_event_id":10,"purpose":"govhall.audit.checkpoint.v1"}'
    )


@pytest.mark.parametrize(
    "value",
    [
        {"text": '\x00\x01\x1f\x7f\b\f\n\r\t"\\/'},  # every escape the two encoders could disagree on
        {"text": "\u2028\u2029\ufeff𠮷䶮·"},  # separators, BOM, astral and rare characters stay raw
        {"b": 1, "a": 2, "中": 3, "𠮷": 4, "Z": 5, "": 6},  # key order is code-point order
        {"big": 2**64 + 1, "neg": -(2**63) - 1},  # beyond 64 bits: the reference encoder decides
        [None, True, False, 0, -1, "", [], {}],
    ],
)
def test_fast_encoder_matches_the_reference_on_edge_cases(value):
    assert canonical_bytes(value) == json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")
