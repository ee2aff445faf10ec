"""Read side of applications: one person's applications, a staff member's queue, one application
for a reader who may see it, and the public progress query (no personal data in the answer).

Permission filtering is done in SQL: an applicant's list is filtered on the applicant, acting
person or active operator authorisation; a staff queue on the departments where the user holds a
handling role.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, CharField, Count, F, Func, JSONField, Q, QuerySet, TextField, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govhall.accounts.models import OperatorAuthorisation, Role
from govhall.core.crypto import blind_index
from govhall.core.permissions import ensure_permission

from . import assignment as holding
from .models import OPEN_STATUSES, Application, Status, TimelineEntry
from .rules import STAFF_ROLES


def mine(user: Any) -> QuerySet[Application]:
    """The applications the user may read as applicant, acting person or authorised operator."""
    enterprises = OperatorAuthorisation.objects.active(timezone.now()).filter(operator=user).values("enterprise_id")
    return (
        Application.objects.filter(Q(applicant=user) | Q(acting_person=user) | Q(enterprise_id__in=enterprises))
        .select_related("item", "item__department")
        .order_by("-created_at")
    )


def staff_department_ids(user: Any) -> set[int]:
    return {
        assignment.department_id
        for assignment in user.active_assignments
        if assignment.role in STAFF_ROLES and assignment.department_id
    }


def queue(user: Any, *, status: str | None = None) -> QuerySet[Application]:
    """Open applications of the departments where the user holds a handling role, soonest due first."""
    departments = staff_department_ids(user)
    rows = Application.objects.filter(department_id__in=departments, status__in=OPEN_STATUSES)
    if status:
        rows = rows.filter(status=status)
    return rows.select_related("item", "item__department").order_by("decision_due", "acceptance_due", "pk")


def application_for(user: Any, *, uid: Any = None, business_number: str | None = None) -> Application:
    """One application by its uid or business number, for someone allowed to read it; otherwise
    ``PermissionDenied`` — the same for "not yours" and "does not exist" (no probing)."""
    lookup = {"uid": uid} if uid is not None else {"business_number": business_number}
    application = (
        Application.objects.select_related("item__department", "version", "applicant").filter(**lookup).first()
    )
    if application is None:
        raise PermissionDenied
    ensure_permission(user, "applications.view", application)
    return application


def timeline(application: Application) -> QuerySet[TimelineEntry]:
    return application.timeline.select_related("actor", "notice").order_by("at", "pk")


@dataclass(frozen=True)
class ProgressStep:
    at: Any
    status: str
    label: str


@dataclass(frozen=True)
class Progress:
    business_number: str
    item: str
    department: str
    status: str
    label: str
    steps: tuple[ProgressStep, ...]


def _mobile_matches(application: Application, mobile: str) -> bool:
    digest = blind_index((mobile or "").strip(), "mobile")
    return digest in {application.applicant.mobile_hash, application.acting_person.mobile_hash} - {None}


def public_progress(business_number: str, mobile: str) -> Progress | None:
    """Anyone with the business number and the applicant's mobile number sees the status steps
    (issue 7): item, department, statuses with times — no names, no comments, no files. ``None``
    for an unknown number or a wrong mobile alike. Rate limiting is the face's job."""
    application = (
        Application.objects.select_related("item__department", "applicant", "acting_person")
        .filter(business_number=(business_number or "").strip())
        .exclude(status=Status.DRAFT)
        .first()
    )
    if application is None or not _mobile_matches(application, mobile):
        return None
    steps = tuple(
        ProgressStep(at=entry.at, status=entry.to_status, label=entry.to_status_label)
        for entry in timeline(application)
        if entry.from_status != entry.to_status or entry.action == "stage_completed"
    )
    return Progress(
        business_number=application.business_number,
        item=application.item.name,
        department=application.item.department.name,
        status=application.status,
        label=str(Status(application.status).label),
        steps=steps,
    )


# --- the applicant's faces (portal and API, issue 7 item 7) ---------------------------------------

# Public progress query: a business number is 27+ characters, so guessing is hopeless; these limits
# stop anyone from trying mobile numbers against one business number (per number) or sweeping
# numbers from one address (per IP). Counters live in the shared cache (core.ratelimit).
PROGRESS_PER_IP_PER_HOUR = 30
PROGRESS_PER_NUMBER_PER_HOUR = 10


def progress_allowed(ip: str, business_number: str) -> bool:
    """Count one public progress query; ``False`` once the IP or the business number is over its
    hourly limit (both counted, so a blocked number keeps counting against the IP too)."""
    from govhall.core.ratelimit import hit

    by_ip = hit(f"progress-ip:{ip}", 3600)
    by_number = hit(f"progress-number:{(business_number or '').strip()[:48]}", 3600)
    return by_ip <= PROGRESS_PER_IP_PER_HOUR and by_number <= PROGRESS_PER_NUMBER_PER_HOUR


def my_application(user: Any, uid: Any) -> Application | None:
    """The user's application by uid, or ``None`` for "not yours" and "no such" alike (faces: 404)."""
    try:
        return application_for(user, uid=uid)
    except PermissionDenied:
        return None


def my_drafts_of(user: Any, item_id: int) -> QuerySet[Application]:
    """Drafts the user may resume for one item (on any device)."""
    return mine(user).filter(item_id=item_id, status=Status.DRAFT, acting_person=user)


def current_materials(application: Application) -> QuerySet[Any]:
    """The files that count now: not superseded by a correction, not removed from the draft."""
    return application.materials.filter(superseded_by__isnull=True, removed_at__isnull=True).order_by(
        "requirement__order", "uploaded_at", "pk"
    )


def correction_items(application: Application) -> list[Any]:
    """What the latest correction notice lists, while the applicant still has to respond to it."""
    from .models import CorrectionItem, NoticeKind

    if application.status != Status.CORRECTION_REQUESTED:
        return []
    notice = application.notices.filter(kind=NoticeKind.CORRECTION).order_by("-created_at", "-pk").first()
    if notice is None:
        return []
    return list(CorrectionItem.objects.filter(notice=notice).select_related("requirement").order_by("pk"))


def notice_of(application: Application, notice_id: int) -> Any:
    """A notice of an application the caller has already been allowed to read, or ``None``."""
    return application.notices.filter(pk=notice_id).exclude(pdf="").first()


# --- staff queues (workbench and staff API) -------------------------------------------------------


class StageKey(Func):
    """``version.review_stages[current_stage][key]`` in SQL, so a queue can filter on the role of
    the stage an application waits in (NULL once every stage is done)."""

    output_field = CharField()

    def __init__(self, key: str) -> None:
        super().__init__(F("version__review_stages"), F("current_stage"))
        self.key = key

    def _parts(self, compiler: Any, connection: Any) -> tuple[str, str, list[Any]]:
        stages, stage_params = compiler.compile(self.source_expressions[0])
        index, index_params = compiler.compile(self.source_expressions[1])
        return stages, index, [*stage_params, *index_params]

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        stages, index, params = self._parts(compiler, connection)
        return f"json_extract({stages}, '$[' || {index} || '].{self.key}')", params

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        stages, index, params = self._parts(compiler, connection)
        return f"(({stages})::jsonb -> ({index})::int ->> '{self.key}')", params

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        return self.as_postgresql(compiler, connection, **extra)


# key -> label, statuses, roles that see it. "review" and "decision" are narrowed further by the
# current stage (see ``staff_queue``).
QUEUES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "acceptance": (_("待受理"), (Status.SUBMITTED, Status.AWAITING_ACCEPTANCE), (Role.ACCEPTOR,)),
    # Issue 8 (Art. 12): pre-reviews, soonest due first; passed ones wait for the on-site check.
    "pre_review": (_("待预审"), (Status.SUBMITTED,), (Role.ACCEPTOR,)),
    "review": (_("审查中"), (Status.ACCEPTED, Status.IN_REVIEW), STAFF_ROLES),
    "decision": (_("待决定"), (Status.ACCEPTED, Status.IN_REVIEW), (Role.DECIDER,)),
    "extension": (_("延期审批"), (Status.ACCEPTED, Status.IN_REVIEW, Status.SUSPENDED), (Role.DEPARTMENT_HEAD,)),
    "correction": (_("补正中"), (Status.CORRECTION_REQUESTED,), STAFF_ROLES),
    "suspended": (_("特别程序中"), (Status.SUSPENDED,), STAFF_ROLES),
    "issuance": (_("待送达"), (Status.APPROVED, Status.REFUSED, Status.RESULT_ISSUED), (Role.ACCEPTOR, Role.DECIDER)),
    # Issue 8: what the user claimed or was assigned, in every open status.
    "claimed": (_("我认领的"), OPEN_STATUSES, STAFF_ROLES),
    "on_site": (_("待现场核验"), (Status.PRE_REVIEWED,), STAFF_ROLES),  # issue 8: passed pre-reviews
    "closed": (
        _("已办结"),
        (Status.CONCLUDED, Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.TERMINATED),
        STAFF_ROLES,
    ),
}


def roles_by_department(user: Any) -> dict[int, set[str]]:
    held: dict[int, set[str]] = {}
    for assignment in user.active_assignments:
        if assignment.role in STAFF_ROLES and assignment.department_id:
            held.setdefault(assignment.department_id, set()).add(assignment.role)
    return held


def queues_for(user: Any) -> list[tuple[str, str]]:
    """The queue tabs a staff member sees: (key, label), by the roles they hold anywhere."""
    held = set().union(*roles_by_department(user).values()) if roles_by_department(user) else set()
    return [(key, str(label)) for key, (label, _statuses, roles) in QUEUES.items() if held & set(roles)]


def _scope_filter(user: Any, roles: tuple[str, ...]) -> Q:
    departments = [pk for pk, held in roles_by_department(user).items() if held & set(roles)]
    return Q(department_id__in=departments)


def _stage_filter(user: Any) -> Q:
    """审查中 per stage: rows whose current stage is performed by a role the user holds there."""
    condition = Q(pk__in=[])
    for department, held in roles_by_department(user).items():
        condition |= Q(department_id=department, stage_role__in=held)
    return condition & Q(stage_name__isnull=False)


def identity_lookup(text: str) -> Q | None:
    """A resident identity number (18 characters) is found through its keyed hash, never decrypted."""
    from govhall.accounts.services import document_hash
    from govhall.core.validators import IdentityDocumentType

    value = text.strip().upper()
    if len(value) != 18:
        return None
    digest = document_hash(IdentityDocumentType.RESIDENT_ID, value)
    return Q(applicant__person__document_hash=digest)


def search_filter(text: str) -> Q:
    """By business number (prefix), applicant name (exact) or identity number (keyed hash)."""
    text = (text or "").strip()
    condition = Q(business_number__startswith=text) | Q(applicant__name=text)
    by_identity = identity_lookup(text)
    return condition | by_identity if by_identity is not None else condition


def staff_queue(
    user: Any,
    queue: str = "acceptance",
    *,
    item: int | None = None,
    status: str | None = None,
    marker: str | None = None,
    search: str = "",
) -> QuerySet[Application]:
    """One queue of a staff member, within the departments where they hold the queue's role, in SQL
    (one query per page with the item, department, applicant and version joined)."""
    if queue not in QUEUES:
        queue = "acceptance"
    _label, statuses, roles = QUEUES[queue]
    rows = Application.objects.filter(_scope_filter(user, roles), status__in=statuses)
    if queue in ("review", "decision"):
        rows = rows.annotate(stage_role=StageKey("role"), stage_name=StageKey("name"))
        waiting = _stage_filter(user) if queue == "review" else Q(stage_name__isnull=True)
        rows = rows.filter(waiting)
    elif queue == "extension":
        rows = rows.filter(extension_days=0, marker__in=("yellow", "red"))
    elif queue == "claimed":
        rows = rows.filter(holding.live_q(), assignee=user)
    if item:
        rows = rows.filter(item_id=item)
    if status:
        rows = rows.filter(status=status)
    if marker:
        rows = rows.filter(marker=marker)
    if search:
        rows = rows.filter(search_filter(search))
    order = ("-closed_at", "-pk") if queue == "closed" else ("decision_due", "acceptance_due", "pk")
    if queue == "acceptance":
        order = ("acceptance_due", "pk")
    if queue == "pre_review":
        order = ("pre_review_due", "pk")
    rows = rows.select_related("item", "item__department", "applicant", "version").defer(*_QUEUE_DEFERRED)
    return with_holder(rows).order_by(*order)


def with_holder(rows: QuerySet[Application]) -> QuerySet[Application]:
    """``holder_id`` / ``holder_name`` on each row: who holds it now (an expired claim: nobody)."""
    live = holding.live_q()
    return rows.annotate(
        holder_id=Case(When(live, then=F("assignee_id")), default=None),
        holder_name=Case(When(live, then=F("assignee__name")), default=None, output_field=CharField()),
    )


def _large_columns(model: Any, prefix: str, keep: tuple[str, ...] = ()) -> list[str]:
    """Text and JSON columns of a joined model: a queue row shows none of them, and decoding (or
    decrypting) them 50 times a page costs more than the query."""
    return [
        f"{prefix}{field.name}"
        for field in model._meta.concrete_fields
        if isinstance(field, (TextField, JSONField)) and field.name not in keep
    ]


def _queue_deferred() -> tuple[str, ...]:
    from govhall.accounts.models import User
    from govhall.catalog.models import GuideVersion, ServiceItem
    from govhall.directory.models import Department

    return (
        "form_data",
        "decision_reasons",
        "decision_legal_basis",
        "extension_reason",
        *_large_columns(GuideVersion, "version__", keep=("review_stages",)),
        *_large_columns(ServiceItem, "item__"),
        *_large_columns(Department, "item__department__"),
        *_large_columns(User, "applicant__", keep=("name",)),
    )


_QUEUE_DEFERRED = _queue_deferred()


def staff_application(user: Any, uid: Any) -> Application:
    """One application for a staff member of its department (or supervision); ``PermissionDenied``
    alike for "another department" and "no such application". Carries ``holder`` (who holds it
    now, issue 8) and ``may_claim`` (the user may take it from the shared queue) for the page."""
    application = application_for(user, uid=uid)
    application.holder = holding.holder(application)
    application.may_claim = application.holder is None and user.has_perm("applications.claim", application)
    return application


def staff_materials(application: Application) -> QuerySet[Any]:
    """Every file given (superseded ones too: staff see what a correction replaced)."""
    return (
        application.materials.filter(removed_at__isnull=True)
        .select_related("requirement")
        .order_by("requirement__order", "uploaded_at", "pk")
    )


# --- channels (issue 8) ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PreReviewTimeliness:
    """Art. 12 supervision: pre-reviews finished (passed or returned), how many within their
    30 office minutes, how many still open; special-or-complex items are not counted."""

    finished: int
    in_time: int
    open: int

    @property
    def share(self) -> float | None:
        return self.in_time / self.finished if self.finished else None


def pre_review_timeliness(rows: QuerySet[Application]) -> PreReviewTimeliness:
    """Over ``rows`` (e.g. the applications a supervisor oversees): one aggregate query."""
    counted = rows.filter(channel="pre_review", pre_review_exempt=False, pre_review_due__isnull=False)
    figures = counted.aggregate(
        finished=Count("pk", filter=Q(pre_reviewed_at__isnull=False)),
        in_time=Count("pk", filter=Q(pre_reviewed_at__isnull=False, pre_reviewed_at__lte=F("pre_review_due"))),
        open=Count("pk", filter=Q(pre_reviewed_at__isnull=True, status=Status.SUBMITTED)),
    )
    return PreReviewTimeliness(**figures)


def supervised(user: Any) -> QuerySet[Application]:
    """The applications of the departments in the regions the user supervises (city or district office)."""
    regions = [
        assignment.region_id
        for assignment in user.active_assignments
        if assignment.role in (Role.CITY_ADMIN, Role.DISTRICT_ADMIN) and assignment.region_id
    ]
    if not regions:
        return Application.objects.none()
    return Application.objects.filter(
        Q(department__region_id__in=regions)
        | Q(department__region__parent_id__in=regions)
        | Q(department__region__parent__parent_id__in=regions)
    )


def window_application(user: Any, business_number: str) -> Application | None:
    """An application found by its business number at the window: only one the user's centre may
    take (the guide lists the centre); ``None`` alike for unknown and not allowed."""
    try:
        application = application_for(user, business_number=(business_number or "").strip())
    except PermissionDenied:
        return None
    return application if user.has_perm("applications.window", application) else None


# --- who holds what (issue 8 item 4: the department admin's reassignment and handover pages) ----


def administered_departments(user: Any) -> list[Any]:
    """The departments where the user is department admin (they reassign and hand over there)."""
    from govhall.directory.models import Department

    ids = {a.department_id for a in user.active_assignments if a.role == Role.DEPARTMENT_ADMIN and a.department_id}
    return list(Department.objects.filter(pk__in=ids).order_by("name"))


def department_open(department_id: int, *, holder: int | None = None, unheld: bool = False) -> QuerySet[Application]:
    """The department's open applications with who holds each, soonest due first."""
    rows = with_holder(Application.objects.filter(department_id=department_id, status__in=OPEN_STATUSES))
    if holder:
        rows = rows.filter(holder_id=holder)
    elif unheld:
        rows = rows.filter(holder_id__isnull=True)
    return rows.select_related("item", "version").order_by("decision_due", "acceptance_due", "pk")


def holdings(department_id: int) -> list[dict[str, Any]]:
    """Per staff member: how many open applications they hold in the department."""
    return list(
        Application.objects.filter(holding.live_q(), department_id=department_id, status__in=OPEN_STATUSES)
        .values("assignee_id", "assignee__name", "assignee__username")
        .annotate(count=Count("pk"))
        .order_by("assignee__name")
    )


def colleagues(department_id: int, *, exclude: int | None = None) -> list[Any]:
    """Staff holding a handling role in the department: who may receive reassigned work."""
    from govhall.accounts.models import RoleAssignment, User

    users = RoleAssignment.objects.active().filter(
        department_id=department_id, role__in=(Role.ACCEPTOR, Role.REVIEWER, Role.DECIDER, Role.DEPARTMENT_HEAD)
    )
    rows = User.objects.filter(pk__in=users.values("user_id"), is_active=True).order_by("name")
    return list(rows.exclude(pk=exclude) if exclude else rows)
