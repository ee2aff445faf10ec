"""The one way services check object permissions (``rules`` predicates from each domain)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def ensure_permission(user: Any, perm: str, obj: Any = None) -> None:
    """Raise ``PermissionDenied`` unless ``user`` holds ``perm`` (for ``obj``)."""
    if user is None or not user.has_perm(perm, obj):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
