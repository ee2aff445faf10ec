"""The benchmark report: the machine it ran on and one Markdown table per server and measurement."""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib.metadata
import os
import platform
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import wrk
from scenarios import BARE, HOST, SCENARIOS, Server

VERIFY_TARGET = 100_000  # audit events verified per second (issue 3)


@dataclass
class ServerRun:
    server: Server
    description: str
    results: dict[str, wrk.WrkResult] = field(default_factory=dict)
    skipped: str = ""
    skipped_scenarios: dict[str, str] = field(default_factory=dict)  # name: why


@dataclass
class AuditRun:
    skipped: str = ""
    events: int = 0
    command_seconds: float = 0.0
    command_output: str = ""
    in_process_seconds: float | None = None


def machine() -> dict[str, str]:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "?"
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False).stdout.split("[")[0]

    def version(package: str) -> str:
        try:
            return importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    return {
        "load": " ".join(f"{value:.2f}" for value in os.getloadavg()),
        "cpus": str(len(os.sched_getaffinity(0))),
        "cpu": cpu,
        "memory": memory,
        "os": f"{platform.system()} {platform.release()} {platform.machine()}",
        "python": platform.python_version(),
        "django": version("django"),
        "gunicorn": version("gunicorn"),
        "granian": version("granian"),
        "wrk": wrk_version.replace("wrk", "").strip() or "?",
    }


def fmt_rate(value: float) -> str:
    return f"{value:,.0f}"


def report(
    args: argparse.Namespace,
    facts: dict[str, str],
    generated: list[str],
    runs: list[ServerRun],
    audit: AuditRun,
    started: datetime.datetime,
) -> str:
    out: list[str] = []
    out.append(f"# govhall benchmark — {started:%Y-%m-%d %H:%M} (Beijing time)\n")
    out.append(
        f"- machine: {facts['cpus']} CPUs ({facts['cpu']}), {facts['memory']} RAM, {facts['os']}; "
        f"the load generator, the server and PostgreSQL share it; load average before the run "
        f"{facts['load']}"
    )
    out.append(
        f"- software: Python {facts['python']}, Django {facts['django']}, PostgreSQL {facts['postgres']} "
        f"(ctype {facts['ctype']}), gunicorn {facts['gunicorn']}, granian {facts['granian']}, wrk {facts['wrk']}"
    )
    cache = "Redis" if args.redis_url else "database (no REDIS_URL)"
    out.append(
        f"- settings: GOVHALL_ENV=production, DEBUG=0, SECURE_SSL_REDIRECT=0 (plain HTTP on {HOST}), "
        f"cache {cache}, persistent database connections"
    )
    out.append(
        f"- load: `wrk -t{args.wrk_threads} -c{args.connections} -d{args.duration}s --latency` per scenario, "
        f"after a {args.warmup} s warm-up; anonymous GETs"
    )
    out.append(f"- data: size {args.size}: demo data set + " + "; ".join(generated))
    out.append("")
    for run in runs:
        out.append(f"## {run.description}\n")
        if run.skipped:
            out.append(f"skipped: {run.skipped}\n")
            continue
        bare = run.results[BARE.name].requests_per_second
        out.append("| scenario | req/s | p50 ms | p99 ms | ratio to bare | errors |")
        out.append("|---|---:|---:|---:|---:|---:|")
        for scenario in SCENARIOS:
            if scenario.name not in run.results:
                why = run.skipped_scenarios.get(scenario.name, "not measured")
                out.append(f"| {scenario.name} `{scenario.path}` | skipped: {why} | | | | |")
                continue
            result = run.results[scenario.name]
            ratio = result.requests_per_second / bare if bare else 0.0
            out.append(
                f"| {scenario.name} `{scenario.path}` | {fmt_rate(result.requests_per_second)} | "
                f"{result.p50_ms:.2f} | {result.p99_ms:.2f} | {ratio:.2f} | {result.errors} |"
            )
        out.append("")
    measured = [run for run in runs if not run.skipped]
    if len(measured) >= 2:
        first, second = measured[0], measured[1]
        out.append("## Servers compared (req/s)\n")
        out.append(
            f"| scenario | {first.server.name} | {second.server.name} | {second.server.name} ÷ {first.server.name} |"
        )
        out.append("|---|---:|---:|---:|")
        for scenario in SCENARIOS:
            if scenario.name not in first.results or scenario.name not in second.results:
                continue
            a = first.results[scenario.name].requests_per_second
            b = second.results[scenario.name].requests_per_second
            out.append(f"| {scenario.name} | {fmt_rate(a)} | {fmt_rate(b)} | {b / a if a else 0:.2f} |")
        out.append("")
    out.append("## Audit chain verification\n")
    if audit.skipped:
        out.append(audit.skipped + "\n")
    else:
        out.append("| measurement | events | seconds | events/s |")
        out.append("|---|---:|---:|---:|")
        if audit.in_process_seconds:
            rate = audit.events / audit.in_process_seconds
            out.append(
                f"| `verify_chain()` in process, best of 3 | {audit.events:,} | "
                f"{audit.in_process_seconds:.3f} | {fmt_rate(rate)} |"
            )
        out.append(
            f"| `manage.py verify_audit`, wall clock incl. Django start-up | {audit.events:,} | "
            f"{audit.command_seconds:.3f} | {fmt_rate(audit.events / audit.command_seconds)} |"
        )
        out.append("")
        if audit.in_process_seconds:
            rate = audit.events / audit.in_process_seconds
            verdict = "meets" if rate >= VERIFY_TARGET else "MISSES"
            out.append(f"Target ≥ {VERIFY_TARGET:,} events/s: {verdict} it. `{audit.command_output}`\n")
    return "\n".join(out)
