"""What ``make bench`` measures: the HTTP scenarios and the servers that serve them.

Later issues add their scenarios to :data:`SCENARIOS` (one line each: a name, an anonymous GET path
and what it exercises) and their data to ``manage.py generate_data``'s registry. Every scenario is a
GET that must answer 200 to an anonymous client; the runner checks that before it measures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"  # load is only ever generated against this machine


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    what: str


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
