#!/usr/bin/env python
"""``make bench``: measure govhall under production servers on PostgreSQL (see bench/README.md).

1. creates a fresh PostgreSQL database (``govhall_bench``), migrates it, loads the demo data and
   ``generate_data --size S``, and collects the static files into a temporary STATIC_ROOT;
2. for each server (gunicorn gthread, granian WSGI) starts it on 127.0.0.1 with production settings
   (generated secrets), waits for /healthz, and drives every scenario of ``scenarios.py`` with wrk
   (after a warm-up): requests/s, p50 and p99 latency, and the ratio to the bare Django view served
   by the same server in the same run;
3. times the audit-chain verification (``verify_audit``) over the generated events;
4. prints Markdown tables with the machine they ran on and writes them to bench/last-run.md.

Servers are stopped (their whole process group) and the database is dropped at the end, on error
and on Ctrl-C too (``--keep-db`` keeps the database and the temporary directory with its secrets).
Run it with the project's virtualenv: ``.venv/bin/python bench/run.py --size 10k``.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime
import fcntl
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import applications as applications_bench
import booking
import wrk
from report import AuditRun, ServerRun, machine, report
from scenarios import BOOKING_CENTRE, GUIDE_ITEM_CODE, HOST, SCENARIOS, SERVERS, Server

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
BIN = Path(sys.executable).parent  # the virtualenv's bin: gunicorn, granian
MANAGE = [sys.executable, str(ROOT / "manage.py")]
DEFAULT_OUTPUT = ROOT / "bench" / "last-run.md"
SIZES = ("10k", "100k", "1m")
# Setup steps may be long for big sizes (1m audit events take about half an hour), never endless.
SETUP_TIMEOUT = {"10k": 30 * 60, "100k": 2 * 3600, "1m": 6 * 3600}
BEIJING = ZoneInfo("Asia/Shanghai")

VERIFY_SNIPPET = """
import json, time
from govhall.core.audit.verify import verify_chain
best = None
for _ in range(3):
    started = time.perf_counter()
    result = verify_chain()
    elapsed = time.perf_counter() - started
    best = elapsed if best is None else min(best, elapsed)
print(json.dumps({"ok": result.ok, "events": result.events, "seconds": best, "message": result.message()}))
"""


class BenchError(Exception):
    """A step failed; the message says which and shows the end of its output."""


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- options ------------------------------------------------------------------------------------


def bounded(low: int, high: int):
    def parse(text: str) -> int:
        value = int(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}")
        return value

    return parse


def options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--size",
        choices=SIZES,
        default=os.environ.get("BENCH_SIZE", "10k"),
        help="generated data size (env BENCH_SIZE; default 10k)",
    )
    parser.add_argument("--servers", default="gunicorn,granian", help="comma-separated: " + ", ".join(SERVERS))
    parser.add_argument("--workers", type=bounded(1, 64), default=2, help="server worker processes")
    parser.add_argument("--threads", type=bounded(1, 64), default=4, help="threads per worker")
    parser.add_argument("--duration", type=bounded(1, 300), default=10, help="seconds per measurement")
    parser.add_argument("--warmup", type=bounded(0, 60), default=3, help="seconds of warm-up per scenario")
    parser.add_argument("--connections", type=bounded(1, 1024), default=16, help="wrk -c")
    parser.add_argument("--wrk-threads", type=bounded(1, 64), default=2, help="wrk -t")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="an administrative connection used to drop and create the bench database (env BENCH_PG_URL)",
    )
    parser.add_argument("--db-name", default="govhall_bench", help="the database to (re)create and drop")
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", ""),
        help="serve with the Redis cache (env BENCH_REDIS_URL); default: the database cache",
    )
    parser.add_argument(
        "--booking-clients",
        type=bounded(0, 256),
        default=64,
        help="concurrent clients booking one day through the API (0: skip)",
    )
    parser.add_argument(
        "--applications-threads",
        type=bounded(0, 256),
        default=8,
        help="threads reading the acceptor's queue through the API (0: skip the applications scenarios)",
    )
    parser.add_argument("--keep-db", action="store_true", help="keep the database and the temp dir")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="Markdown report file")
    args = parser.parse_args(argv)
    if not re.fullmatch(r"[a-z_][a-z0-9_]*bench[a-z0-9_]*", args.db_name):
        parser.error("--db-name must be a lower-case identifier containing 'bench' (it is dropped)")
    args.server_names = [name.strip() for name in args.servers.split(",") if name.strip()]
    unknown = [name for name in args.server_names if name not in SERVERS]
    if unknown:
        parser.error(f"unknown server(s) {unknown}; known: {list(SERVERS)}")
    return args


# --- the database and the environment -----------------------------------------------------------


def database_url(admin_url: str, name: str) -> str:
    """The admin URL with its database name replaced."""
    base, _, _ = admin_url.rpartition("/")
    return f"{base}/{name}"


def recreate_database(admin_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(
            sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(sql.Identifier(name))
        )


def drop_database(admin_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def postgres_facts(url: str) -> tuple[str, str]:
    """``(server version, database ctype)``."""
    import psycopg

    with psycopg.connect(url) as connection:
        version = connection.execute("SHOW server_version").fetchone()[0]
        ctype = connection.execute("SELECT datctype FROM pg_database WHERE datname = current_database()").fetchone()[0]
    return version, ctype


def write_checkpoint_key(path: Path) -> None:
    """A fresh Ed25519 audit checkpoint key (production refuses to generate one itself)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.write_bytes(pem)
    path.chmod(0o600)


def environments(tmp: Path, db_url: str, redis_url: str) -> tuple[dict[str, str], dict[str, str]]:
    """``(setup, production)`` environments: the same secrets and database, generated per run.

    Only a few variables are inherited, so the developer's own settings (DATABASE_URL, REDIS_URL,
    GOVHALL_ENV…) never leak into a measurement. The setup environment is development because
    ``load_demo`` refuses production settings.
    """
    key_file = tmp / "keys" / "audit-checkpoint.pem"
    write_checkpoint_key(key_file)
    inherited = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") if name in os.environ}
    common = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "govhall.settings",
        "DATABASE_URL": db_url,
        "GOVHALL_VAR_DIR": str(tmp / "var"),
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": "bench1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "FIELD_HASH_KEY": secrets.token_hex(32),
        "AUDIT_CHECKPOINT_KEY_FILE": str(key_file),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "BENCH_BARE_VIEW": "1",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        # Production requires a real SMS gateway; no scenario sends one, and nothing listens on port 9.
        "SMS_GATEWAYS": "bench",
        "SMS_GATEWAY_BENCH_PLUGIN": "http",
        "SMS_GATEWAY_BENCH_URL": f"http://{HOST}:9/sms",
        "SMS_GATEWAY_BENCH_SECRET": secrets.token_hex(16),
        # Production requires the licenses' key-encryption key; materials go to the temporary directory.
        "LICENSES_KEY_ENCRYPTION_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "APPLICATIONS_PRIVATE_ROOT": str(tmp / "private"),
    }
    if redis_url:
        common["REDIS_URL"] = redis_url
    setup = {**common, "GOVHALL_ENV": "development"}
    production = {**common, "GOVHALL_ENV": "production"}
    env_file = tmp / "bench.env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in production.items() if k not in inherited))
    env_file.chmod(0o600)
    return setup, production


# --- running commands and servers ---------------------------------------------------------------


def run_step(label: str, arguments: list[str], env: dict[str, str], timeout: int, *, echo: bool = True) -> str:
    """Run a manage.py command, echo its output, return it; raise ``BenchError`` on failure."""
    say(f"{label} …")
    started = time.perf_counter()
    process = subprocess.Popen(
        [*MANAGE, *arguments],
        cwd=ROOT,
        env={**env, "PYTHONUNBUFFERED": "1"},  # progress lines as they come
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    lines: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if echo:
                print(f"    {line.rstrip()}", file=sys.stderr, flush=True)
        returncode = process.wait()
    finally:
        timer.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()
    output = "".join(lines)
    if returncode != 0:
        tail = "".join(lines[-20:])
        raise BenchError(f"{label} failed (exit {returncode}):\n{tail}")
    say(f"{label}: {time.perf_counter() - started:.1f} s")
    return output


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def get(url: str, timeout: float = 10) -> tuple[int, bytes]:
    try:
        with _OPENER.open(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def stop(process: subprocess.Popen) -> None:
    """Stop a server's whole process group: TERM, then KILL after 15 s."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        if process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(wait)


def log_tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@contextlib.contextmanager
def serving(server: Server, args: argparse.Namespace, env: dict[str, str], tmp: Path) -> Iterator[str]:
    """Start ``server`` in its own process group; yield its base URL once /healthz answers 200."""
    port = free_port()
    log_path = tmp / f"{server.name}.log"
    command = server.command(BIN, SRC, port, args.workers, args.threads)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            base = f"http://{HOST}:{port}"
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    raise BenchError(f"{server.name} exited ({process.returncode}):\n{log_tail(log_path)}")
                with contextlib.suppress(OSError):
                    if get(base + "/healthz", timeout=2)[0] == 200:
                        break
                if time.monotonic() > deadline:
                    raise BenchError(f"{server.name} not healthy after 60 s:\n{log_tail(log_path)}")
                time.sleep(0.3)
            say(f"{server.name} is serving on {base} (pid {process.pid})")
            yield base
        finally:
            stop(process)


# --- measuring ----------------------------------------------------------------------------------


def measure_server(server: Server, args: argparse.Namespace, env: dict[str, str], tmp: Path) -> ServerRun:
    run = ServerRun(server, server.describe(args.workers, args.threads))
    if not (BIN / server.executable).exists():
        run.skipped = f"{server.executable} is not installed in {BIN} (make install)"
        say(f"skipped {server.name}: {run.skipped}")
        return run
    wrk_binary = shutil.which("wrk")
    assert wrk_binary is not None
    with serving(server, args, env, tmp) as base:
        for scenario in SCENARIOS:
            url = base + scenario.path
            status, body = get(url)
            if status == 404 and scenario.skip_if_missing:
                run.skipped_scenarios[scenario.name] = scenario.skip_if_missing
                say(f"{server.name} {scenario.name}: skipped, {scenario.skip_if_missing}")
                continue
            if status != 200:
                raise BenchError(
                    f"{server.name} {scenario.path} answered {status}, not 200:\n"
                    f"{body[:500].decode(errors='replace')}\n{log_tail(tmp / f'{server.name}.log')}"
                )
            if args.warmup:
                wrk.run(wrk_binary, url, threads=args.wrk_threads, connections=args.connections, seconds=args.warmup)
            result = wrk.run(
                wrk_binary, url, threads=args.wrk_threads, connections=args.connections, seconds=args.duration
            )
            run.results[scenario.name] = result
            say(
                f"{server.name} {scenario.name}: {result.requests_per_second:,.0f} req/s, "
                f"p50 {result.p50_ms:.2f} ms, p99 {result.p99_ms:.2f} ms, errors {result.errors}"
            )
    return run


def measure_audit(env: dict[str, str]) -> AuditRun:
    """Time ``manage.py verify_audit`` (wall clock) and ``verify_chain()`` in process (best of 3)."""
    probe = subprocess.run([*MANAGE, "help", "verify_audit"], cwd=ROOT, env=env, capture_output=True, check=False)
    if probe.returncode != 0:
        return AuditRun(skipped="skipped: verify_audit not available")
    started = time.perf_counter()
    output = run_step("verify_audit", ["verify_audit"], env, timeout=3600).strip()
    run = AuditRun(command_seconds=time.perf_counter() - started, command_output=output.splitlines()[-1])
    found = re.search(r"OK: (\d+) events", output)
    if not found:
        raise BenchError(f"verify_audit did not report OK: {output}")
    run.events = int(found.group(1))
    with contextlib.suppress(BenchError, ValueError, KeyError):
        printed = run_step("verify_chain() in process, best of 3", ["shell", "-c", VERIFY_SNIPPET], env, 3600)
        data = json.loads(printed.strip().splitlines()[-1])
        if data["ok"]:
            run.in_process_seconds = float(data["seconds"])
    return run


def measure_booking(args: argparse.Namespace, env: dict[str, str], tmp: Path) -> str:
    """Booking under contention on the first server: N clients, one day; oversold seats counted
    from the database afterwards (issue 6: must be 0)."""
    if not args.booking_clients:
        return ""
    snippet = booking.SETUP_SNIPPET.format(item=GUIDE_ITEM_CODE, centre=BOOKING_CENTRE, clients=args.booking_clients)
    printed = run_step("booking clients and tokens", ["shell", "-c", snippet], env, 600, echo=False)
    setup = json.loads(printed.strip().splitlines()[-1])
    run = booking.BookingRun(clients=args.booking_clients, date=setup["date"], seats_before=setup["free"])
    server = SERVERS[args.server_names[0]]
    with serving(server, args, env, tmp) as base:
        booking.drive(base, GUIDE_ITEM_CODE, BOOKING_CENTRE, run.date, setup["tokens"], run)
    count = booking.COUNT_SNIPPET.format(date=run.date, centre=BOOKING_CENTRE)
    counted = run_step("oversold seats", ["shell", "-c", count], env, 600)
    run.db = json.loads(counted.strip().splitlines()[-1])
    say(f"booking: {len(run.latencies_ms)} requests, {run.statuses}, database {run.db}")
    return booking.render(run) + f"\nServer: {server.describe(args.workers, args.threads)}.\n"


def measure_applications(args: argparse.Namespace, env: dict[str, str], tmp: Path) -> str:
    """Issue 7: the acceptor's queue over HTTP on the first server, then submit (two 200 KB
    materials), the public progress query and the queue in process (bench/applications.py)."""
    if not args.applications_threads:
        return ""
    printed = run_step("applications token", ["shell", "-c", applications_bench.SETUP_SNIPPET], env, 600, echo=False)
    setup = applications_bench.parse_last_json(printed)
    run = applications_bench.ApplicationsRun(size=args.size, threads=args.applications_threads)
    server = SERVERS[args.server_names[0]]
    with serving(server, args, env, tmp) as base:
        applications_bench.drive_queue(base, setup["token"], run, args.duration)
    snippet = applications_bench.snippet_measure(GUIDE_ITEM_CODE, setup["number"], setup["mobile"])
    run.in_process = applications_bench.parse_last_json(
        run_step("applications in process", ["shell", "-c", snippet], env, 1800, echo=False)
    )
    say(f"applications: {len(run.queue_ms)} queue requests, {run.statuses}")
    return applications_bench.render(run) + f"\nServer: {server.describe(args.workers, args.threads)}.\n"


# --- main -----------------------------------------------------------------------------------------


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = options(argv)
    if shutil.which("wrk") is None:
        say("wrk is missing: `make deb` installs it (apt-get install -y wrk)")
        return 2
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in the background
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGHUP, _interrupt)
    lock = (Path(tempfile.gettempdir()) / f"{args.db_name}.lock").open("w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        say(f"another benchmark is using {args.db_name}; wait for it (or pass another --db-name)")
        return 2
    started = datetime.datetime.now(BEIJING)
    facts = machine()
    tmp = Path(tempfile.mkdtemp(prefix="govhall-bench-"))
    db_url = database_url(args.pg_url, args.db_name)
    created = False
    try:
        say(f"recreating database {args.db_name}; temporary files in {tmp}")
        recreate_database(args.pg_url, args.db_name)
        created = True
        setup_env, prod_env = environments(tmp, db_url, args.redis_url)
        timeout = SETUP_TIMEOUT[args.size]
        run_step("migrate", ["migrate", "--noinput", "-v", "0"], setup_env, timeout)
        run_step("createcachetable", ["createcachetable"], setup_env, timeout)
        run_step("load_demo", ["load_demo"], setup_env, timeout, echo=False)  # (prints demo credentials)
        run_step("seed_calendar", ["seed_calendar"], setup_env, timeout)
        output = run_step(
            f"generate_data --size {args.size}",
            ["generate_data", "--size", args.size, "--yes-i-know-this-writes-fake-data", "-v", "2"],
            prod_env,
            timeout,
        )
        generated = [line.removeprefix("generated ") for line in output.splitlines() if line.startswith("generated ")]
        run_step("collectstatic", ["collectstatic", "--noinput", "-v", "0"], prod_env, timeout)
        facts["postgres"], facts["ctype"] = postgres_facts(db_url)
        runs = [measure_server(SERVERS[name], args, prod_env, tmp) for name in args.server_names]
        audit = measure_audit(prod_env)
        booking_text = measure_booking(args, prod_env, tmp)
        applications_text = measure_applications(args, prod_env, tmp)
        text = report(args, facts, generated, runs, audit, started) + ("\n" + booking_text if booking_text else "")
        text += "\n" + applications_text if applications_text else ""
        print(text)
        args.output.write_text(text + "\n")
        say(f"report written to {args.output}")
        return 0
    except BenchError as error:
        say(f"FAILED: {error}")
        return 1
    except KeyboardInterrupt:
        say("interrupted; cleaning up")
        return 130
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # finish the clean-up even on a second Ctrl-C
        if created and not args.keep_db:
            with contextlib.suppress(Exception):
                drop_database(args.pg_url, args.db_name)
                say(f"dropped database {args.db_name}")
        if args.keep_db:
            say(f"kept database {args.db_name}; its settings are in {tmp / 'bench.env'}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
