"""The 1M ÷ 10k ratio of the applications scenarios (issue 7) without a full 1M run.

A full ``bench/run.py --size 1m`` generates a million of everything (catalog items at ~950/s alone
take 17 minutes on two CPUs). This grows only the applications of a database kept by a 10k run::

    .venv/bin/python bench/run.py --size 10k --servers gunicorn --keep-db      # prints the temp dir
    .venv/bin/python bench/applications_scale.py --env /tmp/govhall-bench-XXXX/bench.env --size 1m --drop

It adds one generated batch of that size (``generate_data --only applications --force``), measures
the same scenarios as ``bench/applications.py`` and prints the Markdown section; ``--drop`` drops the
database and removes the temporary directory afterwards.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

import applications as applications_bench
import run
from scenarios import GUIDE_ITEM_CODE, SERVERS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--env", type=Path, required=True, help="bench.env of a run kept with --keep-db")
    parser.add_argument("--size", choices=["10k", "100k", "1m"], default="1m", help="applications to add")
    parser.add_argument("--skip-generate", action="store_true", help="measure only")
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--applications-threads", type=int, default=8)
    parser.add_argument(
        "--pg-url", default=os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    )
    parser.add_argument("--drop", action="store_true", help="drop the database and the temp dir afterwards")
    args = parser.parse_args(argv)
    args.workers, args.threads, args.server_names = 2, 4, ["gunicorn"]
    inherited = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") if name in os.environ}
    saved = dict(line.split("=", 1) for line in args.env.read_text().splitlines() if "=" in line)
    env = {**inherited, **saved}
    tmp = args.env.parent
    try:
        if not args.skip_generate:
            flags = ["--size", args.size, "--only", "applications", "--force", "--yes-i-know-this-writes-fake-data"]
            run.run_step(f"generate_data {args.size} applications", ["generate_data", *flags, "-v", "2"], env, 7200)
        printed = run.run_step("token", ["shell", "-c", applications_bench.SETUP_SNIPPET], env, 600, echo=False)
        setup = applications_bench.parse_last_json(printed)
        measured = applications_bench.ApplicationsRun(size=f"10k + {args.size}", threads=args.applications_threads)
        with run.serving(SERVERS["gunicorn"], args, env, tmp) as base:
            applications_bench.drive_queue(base, setup["token"], measured, args.duration)
        snippet = applications_bench.snippet_measure(GUIDE_ITEM_CODE, setup["number"], setup["mobile"])
        measured.in_process = applications_bench.parse_last_json(
            run.run_step("in process", ["shell", "-c", snippet], env, 1800, echo=False)
        )
        print(applications_bench.render(measured))
        return 0
    finally:
        if args.drop:
            name = env["DATABASE_URL"].rsplit("/", 1)[-1]
            run.drop_database(args.pg_url, name)
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
