"""Marking the matched words in search results (issue 5, item 8: "the matched words highlighted").

The search matches the *normalised* text (``catalog.text.normalise``: NFKC, lower case, no
whitespace), so the highlighter matches the same way and maps every hit back to the characters the
reader sees: ``社会 保险`` in a name is marked for the query 社保 (its synonym 社会保险). The text is
escaped piece by piece, so an item named ``<script>`` is shown, never run.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def _normalised_with_positions(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index of the original character."""
    chars: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        for folded in unicodedata.normalize("NFKC", char).lower():
            if folded.isspace():
                continue
            chars.append(folded)
            positions.append(index)
    return "".join(chars), positions


def _spans(text: str, variants: Iterable[str]) -> list[tuple[int, int]]:
    """Merged ``(start, end)`` ranges of the original text that match any variant."""
    normalised, positions = _normalised_with_positions(text)
    found: list[tuple[int, int]] = []
    for variant in {v for v in variants if v}:
        start = normalised.find(variant)
        while start != -1:
            end = start + len(variant)
            found.append((positions[start], positions[end - 1] + 1))
            start = normalised.find(variant, end)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, variants: Iterable[str]) -> SafeString:
    """``text`` escaped, with every match of ``variants`` (``queries.expand`` output) in ``<mark>``."""
    text = str(text or "")
    pieces: list[str] = []
    cursor = 0
    for start, end in _spans(text, variants):
        pieces.append(escape(text[cursor:start]))
        pieces.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    pieces.append(escape(text[cursor:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece of the text is escaped above
