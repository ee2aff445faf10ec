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
from django.db.models import CharField, F, Func, JSONField, Q, QuerySet, TextField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govhall.accounts.models import OperatorAuthorisation, Role
from govhall.core.crypto import blind_index
from govhall.core.permissions import ensure_permission

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
    "review": (_("审查中"), (Status.ACCEPTED, Status.IN_REVIEW), STAFF_ROLES),
    "decision": (_("待决定"), (Status.ACCEPTED, Status.IN_REVIEW), (Role.DECIDER,)),
    "extension": (_("延期审批"), (Status.ACCEPTED, Status.IN_REVIEW, Status.SUSPENDED), (Role.DEPARTMENT_HEAD,)),
    "correction": (_("补正中"), (Status.CORRECTION_REQUESTED,), STAFF_ROLES),
    "suspended": (_("特别程序中"), (Status.SUSPENDED,), STAFF_ROLES),
    "issuance": (_("待送达"), (Status.APPROVED, Status.REFUSED, Status.RESULT_ISSUED), (Role.ACCEPTOR, Role.DECIDER)),
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
    rows = rows.select_related("item", "item__department", "applicant", "version").defer(*_QUEUE_DEFERRED)
    return rows.order_by(*order)


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
    alike for "another department" and "no such application"."""
    return application_for(user, uid=uid)


def staff_materials(application: Application) -> QuerySet[Any]:
    """Every file given (superseded ones too: staff see what a correction replaced)."""
    return (
        application.materials.filter(removed_at__isnull=True)
        .select_related("requirement")
        .order_by("requirement__order", "uploaded_at", "pk")
    )
