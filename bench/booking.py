"""Booking under contention (issue 6): N clients (64 by default), each an applicant with an API
token, book slots of the SAME day at the same centre through ``POST /api/v1/appointments/bookings``
until the day is sold out. Measures throughput and latency of the booking requests, and counts the
oversold seats afterwards from the database (live bookings beyond a slot's seats; must be 0).

A Python client rather than wrk: every request needs the client's own token and a slot id that it
read a moment before, and the interesting answers are the refusals ("该时段刚刚约满").
"""

from __future__ import annotations

import json
import random
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

# Run inside ``manage.py shell -c`` (production settings, the bench database): N applicants with a
# token each, and the target day: the first bookable day of the demo item at the city centre.
SETUP_SNIPPET = """
import json
from govhall.accounts import tokens
from govhall.accounts.models import User
from govhall.appointments import queries
item = queries.bookable_item("{item}")
centre = queries.bookable_centre(item, "{centre}")
day = queries.bookable_days(centre, item)[0]
out = []
for n in range({clients}):
    defaults = {{"kind": "person", "name": f"压测{{n}}"}}
    user, _ = User.objects.get_or_create(username=f"bench-booker-{{n}}", defaults=defaults)
    out.append(tokens.issue(user, name="bench")[0])
print(json.dumps({{"date": day.date.isoformat(), "free": day.free, "tokens": out}}))
"""

# Oversold seats at the centre that day: live bookings beyond each slot's seats, and slots whose
# counter disagrees with the live bookings.
COUNT_SNIPPET = """
import json
from django.db.models import Count, Q
from govhall.appointments.models import LIVE_STATUSES, Slot
live = Count("appointments", filter=Q(appointments__status__in=LIVE_STATUSES))
rows = Slot.objects.filter(date="{date}", capacity__centre__code="{centre}").annotate(live=live)
print(json.dumps({{
    "seats": sum(r.seats for r in rows),
    "booked": sum(r.live for r in rows),
    "oversold": sum(max(r.live - r.seats, 0) for r in rows),
    "counter_mismatch": sum(1 for r in rows if r.live != r.booked),
}}))
"""


@dataclass
class BookingRun:
    clients: int
    date: str = ""
    seats_before: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    db: dict[str, int] = field(default_factory=dict)
    slots_ms: list[float] = field(default_factory=list)

    def percentile(self, values: list[float], pct: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))] if ordered else 0.0


def _call(url: str, token: str, body: dict | None = None) -> tuple[int, dict | list, float]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if body is not None else "GET")
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Content-Type", "application/json")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, payload = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, payload = error.code, error.read()
    elapsed = (time.perf_counter() - started) * 1000
    try:
        return status, json.loads(payload or b"null"), elapsed
    except ValueError:
        return status, {}, elapsed


def _client(base: str, item: str, centre: str, date: str, token: str, run: BookingRun, lock: threading.Lock) -> None:
    """Read the day's free slots, book a random one; stop when the day is full or the person's
    limits refuse (at most 3 open bookings, none overlapping)."""
    slots_url = f"{base}/api/v1/appointments/items/{item}/centres/{centre}/slots?date={date}"
    for _attempt in range(20):
        status, slots, slots_ms = _call(slots_url, token)
        with lock:
            run.slots_ms.append(slots_ms)
        if status != 200 or not slots:
            return
        slot = random.choice(slots)
        status, body, elapsed = _call(f"{base}/api/v1/appointments/bookings", token, {"item": item, "slot": slot["id"]})
        code = body.get("code") if isinstance(body, dict) else None
        outcome = "201 booked" if status == 201 else f"{status} {code or ''}"
        with lock:
            run.latencies_ms.append(elapsed)
            run.statuses[outcome] = run.statuses.get(outcome, 0) + 1
        if status not in (201, 422) or code in ("too_many", "restricted"):
            return


def drive(base: str, item: str, centre: str, date: str, tokens: list[str], run: BookingRun) -> None:
    lock = threading.Lock()
    threads = [
        threading.Thread(target=_client, args=(base, item, centre, date, token, run, lock), daemon=True)
        for token in tokens
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    run.seconds = time.perf_counter() - started


def render(run: BookingRun) -> str:
    requests = len(run.latencies_ms)
    rate = requests / run.seconds if run.seconds else 0.0
    out = [
        f"## Booking under contention: {run.clients} clients, one day ({run.date}), city centre\n",
        f"{run.seats_before} free seats on the day before the run; each client reads the day's free slots "
        "(`GET …/slots?date=`) and books a random one (`POST /api/v1/appointments/bookings`, bearer token) "
        "until the day is full or its own limit (3 open bookings, none overlapping) refuses it.\n",
        "| measurement | value |",
        "|---|---:|",
        f"| booking requests | {requests:,} in {run.seconds:.1f} s |",
        f"| booking throughput | {rate:,.1f} req/s |",
        f"| booking p50 / p99 ms | {run.percentile(run.latencies_ms, 50):.1f} / "
        f"{run.percentile(run.latencies_ms, 99):.1f} |",
        f"| available-slots read p50 / p99 ms (during the run) | {run.percentile(run.slots_ms, 50):.1f} / "
        f"{run.percentile(run.slots_ms, 99):.1f} |",
    ]
    for outcome, count in sorted(run.statuses.items()):
        out.append(f"| answers `{outcome}` | {count:,} |")
    out += [
        f"| seats of the day / live bookings (database) | {run.db.get('seats', 0)} / {run.db.get('booked', 0)} |",
        f"| **oversold seats** (live bookings beyond a slot's seats) | **{run.db.get('oversold', '?')}** |",
        f"| slots whose `booked` counter ≠ live bookings | {run.db.get('counter_mismatch', '?')} |",
        "",
    ]
    return "\n".join(out)
