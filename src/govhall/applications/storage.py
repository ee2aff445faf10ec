"""Private storage for materials and notices (ARCHITECTURE.md: materials are private media).

Files live under ``APPLICATIONS_PRIVATE_ROOT``, outside ``MEDIA_ROOT``, so no web server serves them:
a face streams one only after ``applications.view`` passed. ``url()`` is refused for that reason.
Paths are random (``uuid4``), never derived from the uploaded name (filenames are not trusted).
"""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """A file system storage whose root is read from the settings at each use (tests move it)."""

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(settings.APPLICATIONS_PRIVATE_ROOT)

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("private file: serve it through a view that checks the permission")


_STORAGE = PrivateStorage()


def private_storage() -> PrivateStorage:
    return _STORAGE


def material_path(instance: object, filename: str) -> str:
    """``materials/<xx>/<uuid>`` plus the detected extension; the original name is display only."""
    extension = getattr(instance, "_extension", "")
    return f"materials/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{extension}"


def notice_path(instance: object, filename: str) -> str:
    return f"notices/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.pdf"
