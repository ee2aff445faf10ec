"""Search-text normalisation shared by the item's stored column and the query (ARCHITECTURE.md, search)."""

from __future__ import annotations

import unicodedata


def normalise(value: str) -> str:
    """NFKC (full-width → half-width), lower case, no whitespace: ``"ＳＢ 社保"`` → ``"sb社保"``."""
    return "".join(unicodedata.normalize("NFKC", value or "").lower().split())
