"""What ``make bench`` measures: the HTTP scenarios and the servers that serve them.

Later issues add their scenarios to :data:`SCENARIOS` (one line each: a name, an anonymous GET path
and what it exercises) and their data to ``manage.py generate_data``'s registry. Every scenario is a
GET that must answer 200 to an anonymous client; the runner checks that before it measures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

HOST = "127.0.0.1"  # load is only ever generated against this machine


@dataclass(frozen=True)
class Scenario:
    """``skip_if_missing``: the note printed when the endpoint answers 404 (not written yet), instead of failing."""

    name: str
    path: str
    what: str
    skip_if_missing: str = ""


# A demo item (个体工商户设立登记 of the city market regulator, demo_data/core.py): its guide page.
GUIDE_ITEM_CODE = "11220100MB0000019Q0000000000101"
# Appointments (issue 6): the demo item is bookable at the city centre (appointments/demo.py).
BOOKING_CENTRE = "cc-city"
# Over 10,000 generated items (generate_data's catalog generator) plus the demo catalog, a
# 2-character query matches about a third of the items, a 4-character one about 3 %.
SHORT_QUERY = quote("许可")
LONG_QUERY = quote("食品经营")

# The first row is the baseline every other row is compared with (same server, same run).
BARE = Scenario(
    "bare view",
    "/bench/bare",
    "a bare Django HttpResponse through the whole middleware stack (BENCH_BARE_VIEW=1): the baseline",
)

SCENARIOS: list[Scenario] = [
    BARE,
    Scenario(
        "home page",
        "/",
        "the portal home page: sub-halls and city service centres read from PostgreSQL, full template",
    ),
    Scenario(
        "API department list",
        "/api/v1/directory/departments",
        "django-ninja JSON list of departments (first page of 50, with region and centre codes)",
    ),
    Scenario(
        "guide page",
        f"/items/{GUIDE_ITEM_CODE}/",
        "an item's guide for an anonymous visitor: the published version with materials, license types, places",
    ),
    Scenario(
        "search, 2 characters",
        f"/search/?q={SHORT_QUERY}",
        "portal search over ~10,000 published items for 许可 (a third match; first 50 ranked in SQL)",
    ),
    Scenario(
        "search, 4 characters",
        f"/search/?q={LONG_QUERY}",
        "portal search for 食品经营 (about 3 % of the items match)",
    ),
    Scenario(
        "API catalog item list",
        "/api/v1/catalog/items",
        "django-ninja JSON list of published catalog items (first page)",
        skip_if_missing="the catalog API endpoint is not there yet (404)",
    ),
    Scenario(
        "API available slots",
        f"/api/v1/appointments/items/{GUIDE_ITEM_CODE}/centres/{BOOKING_CENTRE}/slots",
        "the first bookable day's free slots of the demo item at the city centre (horizon materialised, "
        "one aggregate over 14 days, then the day's slots with seats left)",
        skip_if_missing="the appointments API is not there yet (404)",
    ),
]


@dataclass(frozen=True)
class Server:
    """A production WSGI server; ``command(bin_dir, src_dir, port, workers, threads)`` starts it."""

    name: str
    describe: Callable[[int, int], str]
    command: Callable[[Path, Path, int, int, int], list[str]]
    executable: str


def _gunicorn(bin_dir: Path, src: Path, port: int, workers: int, threads: int) -> list[str]:
    return [
        str(bin_dir / "gunicorn"),
        "govhall.wsgi:application",
        "--pythonpath",
        str(src),
        "--worker-class",
        "gthread",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--bind",
        f"{HOST}:{port}",
        "--log-level",
        "warning",
    ]


def _granian(bin_dir: Path, src: Path, port: int, workers: int, threads: int) -> list[str]:
    return [
        str(bin_dir / "granian"),
        "--interface",
        "wsgi",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--no-ws",
        "--log-level",
        "warning",
        "--no-access-log",
        "--working-dir",
        str(src),
        "govhall.wsgi:application",
    ]


SERVERS: dict[str, Server] = {
    "gunicorn": Server(
        "gunicorn",
        lambda workers, threads: f"gunicorn gthread, {workers} workers × {threads} threads",
        _gunicorn,
        "gunicorn",
    ),
    "granian": Server(
        "granian",
        lambda workers, threads: f"granian WSGI, {workers} workers × {threads} blocking threads",
        _granian,
        "granian",
    ),
}
