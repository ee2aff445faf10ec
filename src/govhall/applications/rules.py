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
rules.add_perm("applications.view", rules.is_authenticated & (owns_application | works_in_department | supervises))
rules.add_perm("applications.change_own", rules.is_authenticated & acts_for_application)
rules.add_perm("applications.accept", rules.is_authenticated & is_acceptor)
rules.add_perm("applications.review_stage", rules.is_authenticated & performs_current_stage)
rules.add_perm("applications.suspend", rules.is_authenticated & (is_reviewer | is_decider | is_head))
rules.add_perm("applications.extend", rules.is_authenticated & is_head)
rules.add_perm("applications.decide", rules.is_authenticated & is_decider)
rules.add_perm("applications.issue", rules.is_authenticated & (is_acceptor | is_decider))
rules.add_perm("applications.terminate", rules.is_authenticated & is_head)
rules.add_perm("applications.view_supervision", rules.is_authenticated & supervises)
