"""Who may do what with applications (Art. 20: nobody acts in another's name; Art. 23: no one
beyond their scope).

An applicant, the acting person, or an enterprise's currently authorised operator read and change
their own applications; staff act only within the department implementing the item, each with the
role of the step (acceptor, the review stage's role, decider, department head); the city office and
the district office over the department's region supervise (read).
"""

from __future__ import annotations

import rules
from django.utils import timezone

from govhall.accounts.models import OperatorAuthorisation, OperatorScope, Role

STAFF_ROLES = (Role.ACCEPTOR, Role.REVIEWER, Role.DECIDER, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_ADMIN)


def _department_id(application) -> int | None:
    return application.item.department_id if application is not None else None


def is_operator_for(user, enterprise_id: int | None, *, apply: bool) -> bool:
    """An active operator authorisation of ``enterprise_id`` (for applying: scope all or apply)."""
    if enterprise_id is None or not user.is_authenticated:
        return False
    scopes = [OperatorScope.ALL, OperatorScope.APPLY] if apply else list(OperatorScope.values)
    return (
        OperatorAuthorisation.objects.active(timezone.now())
        .filter(enterprise_id=enterprise_id, operator=user, scope__in=scopes)
        .exists()
    )


@rules.predicate
def is_applicant(user) -> bool:
    return user.is_applicant


@rules.predicate
def owns_application(user, application) -> bool:
    if application is None:
        return False
    if user.pk in (application.applicant_id, application.acting_person_id):
        return True
    return is_operator_for(user, application.enterprise_id, apply=False)


@rules.predicate
def acts_for_application(user, application) -> bool:
    """May change it: the applicant or acting person, or an operator allowed to apply."""
    if application is None:
        return False
    if user.pk in (application.applicant_id, application.acting_person_id):
        return True
    return is_operator_for(user, application.enterprise_id, apply=True)


def window_centre_ids(user, target) -> set[int]:
    """The centres where ``user`` is comprehensive-window staff AND the guide lists as a place of
    handling (Art. 9: a centre's window takes the items handled there). ``target``: an application
    (its bound version) or a service item (its published version)."""
    if target is None or not user.is_authenticated:
        return set()
    mine = {a.centre_id for a in user.active_assignments if a.role == Role.WINDOW_STAFF and a.centre_id}
    version_id = getattr(target, "version_id", None) or getattr(target, "published_version_id", None)
    if not mine or version_id is None:
        return set()
    from govhall.catalog.models import GuideVersion

    listed = GuideVersion.centres.through.objects.filter(guideversion_id=version_id, servicecentre_id__in=mine)
    return set(listed.values_list("servicecentre_id", flat=True))


@rules.predicate
def serves_at_window(user, target) -> bool:
    return bool(window_centre_ids(user, target))


def _has(role: str):
    @rules.predicate(name=f"has_{role}_in_department")
    def predicate(user, application) -> bool:
        department = _department_id(application)
        return department is not None and user.has_role(role, department=department)

    return predicate


@rules.predicate
def works_in_department(user, application) -> bool:
    department = _department_id(application)
    return department is not None and any(user.has_role(role, department=department) for role in STAFF_ROLES)


@rules.predicate
def supervises(user, application) -> bool:
    """The city office, or the district office over the implementing department's region."""
    if application is None:
        return False
    region = application.item.department.region_id
    return user.has_role(Role.CITY_ADMIN, region=region) or user.has_role(Role.DISTRICT_ADMIN, region=region)


@rules.predicate
def performs_current_stage(user, application) -> bool:
    """The role the guide version names for the current review stage (default: reviewer)."""
    stage = application.stage if application is not None else None
    department = _department_id(application)
    role = (stage or {}).get("role") or Role.REVIEWER
    return stage is not None and user.has_role(role, department=department)


is_acceptor, is_reviewer, is_decider, is_head = (
    _has(Role.ACCEPTOR),
    _has(Role.REVIEWER),
    _has(Role.DECIDER),
    _has(Role.DEPARTMENT_HEAD),
)

rules.add_perm("applications.apply", rules.is_authenticated & is_applicant)
rules.add_perm(
    "applications.view",
    rules.is_authenticated & (owns_application | works_in_department | supervises | serves_at_window),
)
rules.add_perm("applications.change_own", rules.is_authenticated & acts_for_application)
rules.add_perm("applications.accept", rules.is_authenticated & is_acceptor)
rules.add_perm("applications.review_stage", rules.is_authenticated & performs_current_stage)
rules.add_perm("applications.suspend", rules.is_authenticated & (is_reviewer | is_decider | is_head))
rules.add_perm("applications.extend", rules.is_authenticated & is_head)
rules.add_perm("applications.decide", rules.is_authenticated & is_decider)
rules.add_perm("applications.issue", rules.is_authenticated & (is_acceptor | is_decider))
rules.add_perm("applications.terminate", rules.is_authenticated & is_head)
rules.add_perm("applications.view_supervision", rules.is_authenticated & supervises)


# --- who holds an application (issue 8 item 4: claims, reassignment, handover; Art. 23 交接) ---


def acting_roles(application) -> frozenset[str]:
    """The roles that may act on the application in its current status — the shared queue it waits
    in: acceptance (acceptor), the current review stage (its role), the decision (decider), a
    special procedure (reviewer, decider, head), issuance (acceptor, decider). None once closed."""
    from .models import Status

    status = application.status
    if status in (Status.SUBMITTED, Status.PRE_REVIEWED, Status.AWAITING_ACCEPTANCE, Status.CORRECTION_REQUESTED):
        return frozenset({Role.ACCEPTOR})
    if status in (Status.ACCEPTED, Status.IN_REVIEW):
        stage = application.stage
        return frozenset({(stage.get("role") or Role.REVIEWER) if stage is not None else Role.DECIDER})
    if status == Status.SUSPENDED:
        return frozenset({Role.REVIEWER, Role.DECIDER, Role.DEPARTMENT_HEAD})
    if status in (Status.APPROVED, Status.REFUSED, Status.RESULT_ISSUED):
        return frozenset({Role.ACCEPTOR, Role.DECIDER})
    return frozenset()


@rules.predicate
def may_work_on(user, application) -> bool:
    """Holds, in the application's department, a role that may act on it now (claim, be assigned)."""
    department = _department_id(application)
    return department is not None and any(
        user.has_role(role, department=department) for role in acting_roles(application)
    )


@rules.predicate
def administers_department(user, target) -> bool:
    """The department admin of the application's (or the given department's) department."""
    department = getattr(target, "department_id", None) if hasattr(target, "item_id") else getattr(target, "pk", None)
    return department is not None and user.has_role(Role.DEPARTMENT_ADMIN, department=department)


rules.add_perm("applications.claim", rules.is_authenticated & may_work_on)
rules.add_perm("applications.assign", rules.is_authenticated & administers_department)


# --- channels (issue 8: pre-review, window intake, instant items) ---
rules.add_perm("applications.window", rules.is_authenticated & serves_at_window)
