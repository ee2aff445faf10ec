"""Read side of accounts."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from govhall.accounts.models import OperatorAuthorisation, PrivacyNotice, User


def current_notice() -> PrivacyNotice | None:
    return PrivacyNotice.objects.order_by("-published_at").first()


def operators_of(user: User) -> QuerySet[OperatorAuthorisation]:
    """An enterprise's operators, newest first, with the operator loaded (masked in the template)."""
    return (
        OperatorAuthorisation.objects.filter(enterprise__user=user)
        .select_related("operator")
        .order_by("revoked_at", "-created_at")
    )


def authorisations_for(user: User) -> QuerySet[OperatorAuthorisation]:
    """The enterprises a person may act for right now."""
    return OperatorAuthorisation.objects.active().filter(operator=user).select_related("enterprise__user")


def resolve_scope(role: str, text: str):
    """The scope object a role is granted in, from what an admin typed: a department's name, a
    region's code, or a service centre's code, as the role's scope kind requires."""
    from django.core.exceptions import ValidationError

    from govhall.accounts.models import ROLE_SCOPE, ScopeKind
    from govhall.directory.models import Department, Region, ServiceCentre

    text = text.strip()
    kind = ROLE_SCOPE[role]
    lookup = {
        ScopeKind.DEPARTMENT: lambda: Department.objects.filter(name=text, is_active=True).first(),
        ScopeKind.REGION: lambda: Region.objects.filter(code=text).first(),
        ScopeKind.CENTRE: lambda: ServiceCentre.objects.filter(code=text, is_active=True).first(),
    }[kind]()
    if lookup is None:
        raise ValidationError(
            {"scope": [_("未找到%(kind)s“%(text)s”。") % {"kind": ScopeKind(kind).label, "text": text}]}
        )
    return lookup


def staff_list() -> QuerySet[User]:
    from django.db.models import Prefetch

    from govhall.accounts.models import RoleAssignment

    assignments = RoleAssignment.objects.active().select_related("department", "region", "centre")
    return (
        User.objects.filter(kind="staff")
        .prefetch_related(Prefetch("role_assignments", queryset=assignments, to_attr="current_assignments"))
        .order_by("username")
    )
