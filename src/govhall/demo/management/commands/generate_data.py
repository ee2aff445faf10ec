"""``manage.py generate_data --size 10k``: realistic volumes for the benchmarks (``make bench``).

Why: a page that is fast over the 40 demo rows can be slow over a million; the benchmark harness
(``bench/run.py``) measures the hall over data of a known size. Everything written here is fake
but shaped like the real thing: natural persons with valid resident ID numbers (GB 11643) and mobile
numbers, stored encrypted with their keyed hashes exactly as registration stores them, and audit
events appended through the audit trail's own ``record_many()`` so the hash chain and the signed
checkpoints stay valid (``manage.py verify_audit`` passes afterwards).

Design: :data:`GENERATORS` is a small registry. Each :class:`Generator` says how many rows a size
means, how many it already wrote (its rows carry a recognisable marker), and how to write more in
batches. Later issues append theirs (applications, appointments, licenses…). Note for those: a
generated application must *share* stored material files (one small file per kind, referenced by
every row) instead of writing a new file per row — a million files would measure the disk, not
the hall.

Safety: under production settings the command writes only with
``--yes-i-know-this-writes-fake-data`` (the benchmark passes it; an operator never should). Sizes
that already exist are refused unless ``--force`` (which adds another batch of that size); a run
that stopped half-way is completed up to the size.
"""

from __future__ import annotations

import argparse
import datetime
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from math import gcd
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone
from stdnum.cn import ric

from govhall.accounts.models import PersonProfile, User, UserKind
from govhall.accounts.services import document_hash, mobile_hash
from govhall.core.validators import IdentityDocumentType
from govhall.demo import applications_generator, catalog_generator

SIZES: dict[str, int] = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
PRODUCTION_FLAG = "--yes-i-know-this-writes-fake-data"

# Generated applicants are recognisable by their account number (real ones are "P" + 12 hex digits).
USER_PREFIX = "GENP"
# Generated audit events are recognisable by their reason.
AUDIT_REASON = "generate_data"


# --- the registry -----------------------------------------------------------------------------


@dataclass
class Context:
    """What every generator gets: the seeded random source, the batch size, a progress writer."""

    rng: random.Random
    seed: int
    batch_size: int
    password_hash: str
    write: Callable[[str], None]
    now: datetime.datetime = field(default_factory=timezone.now)


@dataclass(frozen=True)
class Generator:
    """One kind of generated row.

    ``target(n)`` — how many rows size ``n`` means (most: ``n``); ``existing()`` — how many generated
    rows are already there; ``generate(ctx, start, count)`` — write ``count`` more, numbered from
    ``start`` (so a second ``--force`` batch never collides with the first), and return how many
    were written.
    """

    name: str
    label: str
    existing: Callable[[], int]
    generate: Callable[[Context, int, int], int]
    target: Callable[[int], int] = lambda n: n


# --- natural persons ----------------------------------------------------------------------------

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
    "顾侯邵孟龙万段"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红娥玲芬燕彬鹏辉斌宇"
    "浩凯健俊帆帅旭宁博文思雨欣怡子涵梓轩一诺佳琪雪梅春晓冬阳海鑫"
)
RARE_GIVEN = ["䶮", "𠮷", "堃", "喆", "淼", "昇"]  # GB 18030-2022 characters real people carry
# Changchun's districts, counties and county-level cities (GB/T 2260); adults born 1940-2006.
REGION_CODES = (
    "220102",
    "220103",
    "220104",
    "220105",
    "220106",
    "220112",
    "220113",
    "220122",
    "220182",
    "220183",
    "220184",
)
BIRTH_FIRST = datetime.date(1940, 1, 1)
BIRTH_DAYS = (datetime.date(2006, 12, 31) - BIRTH_FIRST).days + 1
MOBILE_PREFIXES = (
    *(str(n) for n in range(130, 140)),
    *(str(n) for n in (150, 151, 152, 153, 155, 156, 157, 158, 159, 166, 173, 175, 176, 177)),
    *(str(n) for n in range(180, 190)),
    "198",
    "199",
)


@cache
def _coprime_multiplier(modulus: int, seed: int) -> int:
    """A multiplier coprime to ``modulus``: ``i -> (a*i + b) % modulus`` is then a bijection."""
    candidate = 2_654_435_761 + 2 * seed  # Knuth's multiplicative-hash constant, nudged by the seed
    while gcd(candidate, modulus) != 1:
        candidate += 1
    return candidate


def resident_id(index: int, seed: int) -> str:
    """The ``index``-th generated resident ID number: unique per index, scattered, valid GB 11643."""
    space = len(REGION_CODES) * BIRTH_DAYS * 1000
    slot = (_coprime_multiplier(space, seed) * index + seed) % space
    slot, sequence = divmod(slot, 1000)
    region, day = divmod(slot, BIRTH_DAYS)
    birth = BIRTH_FIRST + datetime.timedelta(days=day)
    body = f"{REGION_CODES[region]}{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


def mobile_number(index: int, seed: int) -> str:
    """The ``index``-th generated mobile number: unique per index (36 prefixes × 10⁸ numbers)."""
    prefix_index, rest = index % len(MOBILE_PREFIXES), index // len(MOBILE_PREFIXES)
    suffix = (_coprime_multiplier(10**8, seed) * rest + seed) % 10**8
    return f"{MOBILE_PREFIXES[prefix_index]}{suffix:08d}"


def person_name(rng: random.Random) -> str:
    given_length = 1 if rng.random() < 0.3 else 2
    given = "".join(rng.choice(GIVEN) for _ in range(given_length))
    if rng.random() < 0.002:
        given = given[:-1] + rng.choice(RARE_GIVEN)
    return rng.choice(SURNAMES) + given


def _existing_users() -> int:
    return User.objects.filter(username__startswith=USER_PREFIX).count()


def _next_user_index() -> int:
    """One past the highest generated account number (zero-padded, so text order is number order)."""
    newest = (
        User.objects.filter(username__startswith=USER_PREFIX)
        .order_by("-username")
        .values_list("username", flat=True)
        .first()
    )
    return int(newest[len(USER_PREFIX) :]) + 1 if newest else 0


def _batches(start: int, count: int, size: int) -> Iterator[range]:
    for first in range(start, start + count, size):
        yield range(first, min(first + size, start + count))


def generate_users(ctx: Context, start: int, count: int) -> int:
    """Natural persons with a verified identity, written with ``bulk_create`` in batches.

    The encrypted columns are encrypted by ``EncryptedTextField.get_prep_value`` during
    ``bulk_create`` (one AES-GCM seal per value); the keyed hashes are computed here exactly as
    registration computes them. All share one password hash (unusable unless ``--password``).
    A candidate whose mobile or document hash is already taken (a demo user, say) is skipped.
    """
    written = 0
    for indexes in _batches(max(start, _next_user_index()), count, ctx.batch_size):
        people = []
        for index in indexes:
            number = resident_id(index, ctx.seed)
            mobile = mobile_number(index, ctx.seed)
            joined = ctx.now - datetime.timedelta(seconds=ctx.rng.randrange(3 * 365 * 86400))
            people.append(
                (
                    index,
                    number,
                    mobile,
                    document_hash(IdentityDocumentType.RESIDENT_ID, number),
                    mobile_hash(mobile),
                    joined,
                )
            )
        taken_documents = set(
            PersonProfile.objects.filter(document_hash__in=[p[3] for p in people]).values_list(
                "document_hash", flat=True
            )
        )
        taken_mobiles = set(
            User.objects.filter(mobile_hash__in=[p[4] for p in people]).values_list("mobile_hash", flat=True)
        )
        people = [p for p in people if p[3] not in taken_documents and p[4] not in taken_mobiles]
        with transaction.atomic():
            users = User.objects.bulk_create(
                [
                    User(
                        username=f"{USER_PREFIX}{index:09d}",
                        kind=UserKind.PERSON,
                        name=person_name(ctx.rng),
                        mobile=mobile,
                        mobile_hash=mobile_digest,
                        mobile_verified_at=joined,
                        date_joined=joined,
                        password=ctx.password_hash,
                    )
                    for index, _number, mobile, _document_digest, mobile_digest, joined in people
                ]
            )
            PersonProfile.objects.bulk_create(
                [
                    PersonProfile(
                        user=user,
                        document_type=IdentityDocumentType.RESIDENT_ID,
                        document_number=number,
                        document_hash=document_digest,
                        verified_at=joined,
                        verified_by="generate_data",
                    )
                    for user, (_index, number, _mobile, document_digest, _mobile_digest, joined) in zip(
                        users, people, strict=True
                    )
                ]
            )
        written += len(users)
        ctx.write(f"  users: {written}/{count}")
    return written


# --- audit events -------------------------------------------------------------------------------

USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Mobile/15E148 MicroMessenger/8.0.49",
    "Mozilla/5.0 (Linux; Android 14; V2307A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile",
    "govhall-app/1.4 (HarmonyOS 4.2)",
)


class _Request:
    """What ``record()`` reads from a request: the client IP and the user agent."""

    def __init__(self, ip: str, user_agent: str) -> None:
        self.client_ip = ip
        self.META = {"REMOTE_ADDR": ip, "HTTP_USER_AGENT": user_agent}


def _existing_audit_events() -> int:
    from govhall.core.audit.models import AuditEvent

    return AuditEvent.objects.filter(reason=AUDIT_REASON).count()


def _event(ctx: Context, index: int, actors: list[User]) -> tuple[Any, ...]:
    """``(actor, action, object, before, after, request)`` for the ``index``-th generated event."""
    rng = ctx.rng
    actor = actors[rng.randrange(len(actors))] if actors else None
    ip = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
    request = _Request(ip, rng.choice(USER_AGENTS))
    kind = index % 10
    if kind < 6:
        return actor, "account.login", actor, None, {"method": rng.choice(["password", "sms"])}, request
    if kind < 8:
        before = {"failed_logins": rng.randrange(3)}
        return actor, "account.login_failed", actor, before, {"failed_logins": before["failed_logins"] + 1}, request
    if kind == 8:
        return actor, "account.password_reset", actor, None, {"via": "sms"}, request
    application = ("applications.application", 10_000_000 + index)
    after = {"status": "submitted", "item": f"11220100MB{rng.randrange(1, 30):06d}-{rng.randrange(1, 99):03d}"}
    return actor, "application.submitted", application, None, after, request


def generate_audit_events(ctx: Context, start: int, count: int) -> int:
    """Audit events appended through ``govhall.core.audit.services.record_many``: the same chain,
    ids and signed checkpoints as one ``record()`` per event, one chain lock per batch. Actors are
    generated persons, so the actor columns look like production's."""
    from govhall.core.audit.services import record_many

    pks = list(
        User.objects.filter(username__startswith=USER_PREFIX).order_by("pk").values_list("pk", "username")[:5000]
    )
    actors = [User(pk=pk, username=username) for pk, username in pks]
    written = 0
    for indexes in _batches(start, count, ctx.batch_size):
        entries = []
        for index in indexes:
            actor, action, obj, before, after, request = _event(ctx, index, actors)
            entries.append(
                {
                    "actor": actor,
                    "action": action,
                    "obj": obj,
                    "before": before,
                    "after": after,
                    "request": request,
                    "reason": AUDIT_REASON,
                }
            )
        written += record_many(entries)
        ctx.write(f"  audit events: {written}/{count}")
    return written


GENERATORS: list[Generator] = [
    Generator("users", "natural-person users", _existing_users, generate_users),
    Generator("audit_events", "audit events", _existing_audit_events, generate_audit_events),
    Generator(
        "catalog",
        "catalog items with published guides",
        catalog_generator.existing,
        lambda ctx, start, count: catalog_generator.generate(ctx, start, count, _batches),
        catalog_generator.target,
    ),
    Generator(
        "applications",
        "applications with materials and timelines",
        applications_generator.existing,
        lambda ctx, start, count: applications_generator.generate(ctx, start, count, _batches),
        applications_generator.target,
    ),
]


# --- the command --------------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Generate realistic fake volumes for benchmarks: --size 10k|100k|1m (users, audit events, …). "
        f"Under production settings it needs {PRODUCTION_FLAG}."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=sorted(SIZES, key=SIZES.get), default="10k")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (same seed, same data)")
        parser.add_argument(
            "--only",
            default="",
            help="comma-separated generators to run (default: all): " + ", ".join(g.name for g in GENERATORS),
        )
        parser.add_argument("--force", action="store_true", help="add another batch even if the size exists")
        parser.add_argument("--batch-size", type=int, default=2000, help="rows per bulk insert / transaction")
        parser.add_argument(
            "--password", default="", help="one password shared by every generated user (default: unusable)"
        )
        parser.add_argument(PRODUCTION_FLAG, dest="i_know", action="store_true", help="allow production settings")
        # Hidden: tests write a handful of rows instead of a size.
        parser.add_argument("--count", type=int, default=None, help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False) and not options["i_know"]:
            raise CommandError(
                f"generate_data writes fake people and events; under production settings pass {PRODUCTION_FLAG} "
                "(only ever on a benchmark database)."
            )
        size = options["count"] if options["count"] is not None else SIZES[options["size"]]
        generators = self.selected(options["only"])
        plan, done = [], []
        for generator in generators:
            target, existing = generator.target(size), generator.existing()
            if options["force"]:
                plan.append((generator, existing, target))
            elif existing < target:  # a run that stopped half-way is completed
                plan.append((generator, existing, target - existing))
            else:
                done.append(f"{existing} {generator.label}")
        existing_text = ", ".join(done)
        if done and plan:
            self.stdout.write(f"already there, skipped: {existing_text}")
        if not plan:
            raise CommandError(
                f"generated data of size {size} already exists ({existing_text}); pass --force to add another batch."
            )
        seed = options["seed"]
        context = Context(
            rng=random.Random(seed),  # noqa: S311 - fake data, reproducible by seed
            seed=seed,
            batch_size=max(1, options["batch_size"]),
            password_hash=make_password(options["password"] or None),
            write=self.progress if options["verbosity"] >= 2 else lambda _line: None,
        )
        for generator, existing, to_write in plan:
            started = time.perf_counter()
            written = generator.generate(context, existing, to_write)
            elapsed = time.perf_counter() - started
            rate = written / elapsed if elapsed > 0 else 0.0
            self.stdout.write(f"generated {written:,} {generator.label} in {elapsed:.1f} s ({rate:,.0f}/s)")
        self.refresh_statistics()

    def refresh_statistics(self) -> None:
        """A bulk load leaves the planner's row estimates at zero (nested loops over 10k rows) and,
        on PostgreSQL, the visibility map empty (no index-only scans: counting a 60,000-row queue at
        1M applications read 40,000 heap pages, 200 ms instead of 4 ms) until autovacuum gets to it:
        do both now, as a DBA would after any bulk load. VACUUM runs outside a transaction."""
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
        elif connection.vendor in ("postgresql", "sqlite"):
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def selected(self, only: str) -> list[Generator]:
        if not only:
            return list(GENERATORS)
        names = [name.strip() for name in only.split(",") if name.strip()]
        known = {generator.name: generator for generator in GENERATORS}
        unknown = [name for name in names if name not in known]
        if unknown:
            raise CommandError(f"unknown generator(s) {', '.join(unknown)}; known: {', '.join(known)}")
        return [generator for generator in GENERATORS if generator.name in names]

    def progress(self, line: str) -> None:
        """Progress lines (``-v 2``), at most one every five seconds."""
        now = time.monotonic()
        if now - getattr(self, "_last_progress", 0.0) >= 5:
            self._last_progress = now
            self.stdout.write(line)
