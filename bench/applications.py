"""Applications (issue 7) over the generated volume: submit with two 200 KB materials, the public
progress query, and the acceptor's queue.

* **acceptor's queue over HTTP**: ``GET /api/v1/applications/staff/queue`` with ``amr_acceptor``'s
  bearer token, N threads for D seconds against the real server (first page of 50, masked names);
* **in process** (``manage.py shell`` under production settings, on the bench database), timing the
  same code the faces call: ``submit`` = ``start_draft`` + two ``add_material`` of 200 KB PDFs
  (content type check, SHA-256, private storage) + ``submit`` (business number, deadline, timeline,
  SMS receipt queued); ``public_progress(number, mobile)`` (the portal's query is a rate-limited
  POST with CSRF, so it is not driven over HTTP); ``staff_queue`` first page.

The ratio of the 1M to the 10k latency comes from two runs (``--size 10k`` and ``--size 1m``).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

# Prints {"token", "number", "mobile"}: amr_acceptor's API token, and one generated application's
# business number with its applicant's mobile number (for the progress query).
SETUP_SNIPPET = """
import json
from govhall.accounts import tokens
from govhall.accounts.models import User
from govhall.applications.models import Application
acceptor = User.objects.get(username="amr_acceptor")
generated = Application.objects.filter(applicant__username__startswith="GENP").select_related("applicant")
row = generated.order_by("pk").first()
token = tokens.issue(acceptor, name="bench")[0]
print(json.dumps({"token": token, "number": row.business_number, "mobile": row.applicant.mobile}))
"""

# Times the three operations in process; prints {"submit": [...ms], "progress": [...], "queue": [...]}.
MEASURE_SNIPPET = """
import json, time
from django.core.files.uploadedfile import SimpleUploadedFile
from govhall.accounts.models import User
from govhall.applications import queries, services, submission
from govhall.catalog.models import ServiceItem
PDF = b"%PDF-1.4\\n%" + b"x" * (200 * 1024) + b"\\n%%EOF\\n"
item = ServiceItem.objects.get(implementation_code="{item}")
acceptor = User.objects.get(username="amr_acceptor")
people = list(User.objects.filter(username__startswith="GENP").select_related("person").order_by("pk")[:{submits}])
def timed(call):
    started = time.perf_counter(); call(); return (time.perf_counter() - started) * 1000
def submit(person):
    answers = {{"applicant_name": person.name, "id_number": person.person.document_number}}
    answers.update(mobile=person.mobile, has_agent="no")
    application = services.start_draft(person, item, answers=answers)
    for requirement in submission.needed_requirements(application)[:2]:
        upload = SimpleUploadedFile("m.pdf", PDF, content_type="application/pdf")
        services.add_material(application, person, requirement, upload)
    services.submit(application, person)
out = {{"submit": [timed(lambda p=p: submit(p)) for p in people]}}
out["progress"] = [timed(lambda: queries.public_progress("{number}", "{mobile}")) for _ in range({repeat})]
out["queue"] = [timed(lambda: list(queries.staff_queue(acceptor, "acceptance")[:50])) for _ in range({repeat})]
print(json.dumps(out))
"""


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))] if ordered else 0.0


@dataclass
class ApplicationsRun:
    size: str
    threads: int
    seconds: float = 0.0
    queue_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    in_process: dict[str, list[float]] = field(default_factory=dict)


def _get(url: str, token: str) -> tuple[int, float]:
    request = urllib.request.Request(url)
    request.add_header("Authorization", f"Bearer {token}")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, (time.perf_counter() - started) * 1000


def drive_queue(base: str, token: str, run: ApplicationsRun, duration: float) -> None:
    """N threads read the acceptor's first queue page for ``duration`` seconds."""
    lock, deadline = threading.Lock(), time.perf_counter() + duration
    url = f"{base}/api/v1/applications/staff/queue?queue=acceptance"

    def client() -> None:
        while time.perf_counter() < deadline:
            status, elapsed = _get(url, token)
            with lock:
                run.queue_ms.append(elapsed)
                run.statuses[status] = run.statuses.get(status, 0) + 1

    threads = [threading.Thread(target=client, daemon=True) for _ in range(run.threads)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 60)
    run.seconds = time.perf_counter() - started


def render(run: ApplicationsRun) -> str:
    requests = len(run.queue_ms)
    rate = requests / run.seconds if run.seconds else 0.0
    out = [
        f"## Applications at size {run.size} (issue 7)\n",
        "| measurement | requests | throughput | p50 ms | p99 ms |",
        "|---|---:|---:|---:|---:|",
        f"| acceptor's queue, HTTP API, {run.threads} threads (statuses {run.statuses}) | {requests:,} | "
        f"{rate:,.1f} req/s | {percentile(run.queue_ms, 50):.1f} | {percentile(run.queue_ms, 99):.1f} |",
    ]
    labels = {
        "submit": "submit with two 200 KB materials, in process (draft + 2 uploads + submit)",
        "progress": "public progress query, in process",
        "queue": "acceptor's queue first page, in process (SQL only)",
    }
    for key, label in labels.items():
        values = run.in_process.get(key, [])
        total = sum(values) / 1000
        rate = len(values) / total if total else 0.0
        out.append(
            f"| {label} | {len(values):,} | {rate:,.1f} /s (1 thread) | {percentile(values, 50):.1f} | "
            f"{percentile(values, 99):.1f} |"
        )
    out.append("")
    return "\n".join(out)


def snippet_measure(item: str, number: str, mobile: str, submits: int = 20, repeat: int = 200) -> str:
    return MEASURE_SNIPPET.format(item=item, number=number, mobile=mobile, submits=submits, repeat=repeat)


def parse_last_json(printed: str) -> dict:
    return json.loads(printed.strip().splitlines()[-1])
