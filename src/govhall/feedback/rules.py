"""Who may do what with consultations, complaints and evaluations (Art. 15, 16; Art. 23: nobody
beyond their scope).

The handling chain of a department is its responders (咨询投诉答复人员) and its head; the office
(city office, or the district office over the department's region) supervises, approves FAQ entries,
handles escalated complaints and decides appeals. A complaint about a staff member is hidden from
that staff member even if they hold a handling role: only the rest of the chain sees it.
"""

from __future__ import annotations

import rules

from govhall.accounts.models import Role

HANDLING_ROLES = (Role.RESPONDER, Role.DEPARTMENT_HEAD)
DEPARTMENT_ROLES = (Role.RESPONDER, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_ADMIN)


def _department(obj):
    """Predicates accept a case (its ``department``), an evaluation or a ``Department``."""
    if obj is None:
        return None
    if hasattr(obj, "invitation_id") and hasattr(obj, "level"):
        return obj.invitation.department
    return getattr(obj, "department", obj)


def handles(user, department) -> bool:
    return department is not None and any(user.has_role(r, department=department.pk) for r in HANDLING_ROLES)


def in_department(user, department) -> bool:
    return department is not None and any(user.has_role(r, department=department.pk) for r in DEPARTMENT_ROLES)


def oversees(user, department) -> bool:
    """The city office, or the district office of the region the department belongs to."""
    return department is not None and (
        user.has_role(Role.CITY_ADMIN, region=department.region_id)
        or user.has_role(Role.DISTRICT_ADMIN, region=department.region_id)
    )


def is_office(user) -> bool:
    return user.has_role(Role.CITY_ADMIN) or user.has_role(Role.DISTRICT_ADMIN)


@rules.predicate
def is_applicant(user) -> bool:
    return user.is_applicant


@rules.predicate
def asked(user, consultation) -> bool:
    return consultation is not None and consultation.asker_id == user.pk


@rules.predicate
def filed(user, complaint) -> bool:
    return complaint is not None and complaint.complainant_id == user.pk


@rules.predicate
def is_complained_about(user, complaint) -> bool:
    return complaint is not None and complaint.staff_member_id == user.pk


@rules.predicate
def handles_case(user, obj) -> bool:
    return handles(user, _department(obj))


@rules.predicate
def works_in_department(user, obj) -> bool:
    return in_department(user, _department(obj))


@rules.predicate
def oversees_case(user, obj) -> bool:
    return oversees(user, _department(obj))


@rules.predicate
def office_anywhere(user) -> bool:
    return is_office(user)


@rules.predicate
def is_escalated(user, complaint) -> bool:
    return complaint is not None and complaint.status == "escalated"


@rules.predicate
def invited(user, invitation) -> bool:
    """Only the person served rates (an applicant cannot rate someone else's application)."""
    return invitation is not None and invitation.citizen_id == user.pk


@rules.predicate
def heads_department(user, obj) -> bool:
    department = _department(obj)
    return department is not None and (
        user.has_role(Role.DEPARTMENT_HEAD, department=department.pk)
        or user.has_role(Role.DEPARTMENT_ADMIN, department=department.pk)
    )


authenticated = rules.is_authenticated
rules.add_perm("feedback.ask", authenticated & is_applicant)
rules.add_perm("feedback.view_consultation", authenticated & (asked | works_in_department | oversees_case))
rules.add_perm("feedback.answer", authenticated & handles_case)
rules.add_perm("feedback.manage_snippets", authenticated & works_in_department)
rules.add_perm("feedback.approve_faq", authenticated & oversees_case)
rules.add_perm("feedback.complain", authenticated & is_applicant)
rules.add_perm(
    "feedback.view_complaint",
    authenticated & (filed | (~is_complained_about & (handles_case | oversees_case))),
)
rules.add_perm("feedback.own_complaint", authenticated & filed)
rules.add_perm("feedback.reply_complaint", authenticated & ~is_complained_about & handles_case & ~is_escalated)
rules.add_perm("feedback.conclude_escalation", authenticated & ~is_complained_about & oversees_case & is_escalated)
rules.add_perm("feedback.rate", authenticated & invited)
rules.add_perm("feedback.rectify", authenticated & works_in_department)
rules.add_perm("feedback.appeal", authenticated & heads_department)
rules.add_perm("feedback.decide_appeal", authenticated & oversees_case)
rules.add_perm("feedback.annotate", authenticated & (works_in_department | oversees_case))
rules.add_perm("feedback.supervise", authenticated & office_anywhere)
rules.add_perm("feedback.chase", authenticated & oversees_case)
