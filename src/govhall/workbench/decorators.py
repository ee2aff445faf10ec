"""Access to the workbench: a staff account, logged in with password AND the second factor."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def staff_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), "workbench:login")
        if user.kind != "staff":
            raise PermissionDenied
        if not user.is_verified():
            return redirect_to_login(request.get_full_path(), "workbench:login")
        return view(request, *args, **kwargs)

    return wrapper
