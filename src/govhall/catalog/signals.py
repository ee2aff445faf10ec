"""Keep what the catalog derives from other domains in step with them (imports only go down: the
directory does not know the catalog, so the catalog listens)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from govhall.directory.models import Department


def refresh_department_items(sender: type[Department], instance: Department, **kwargs: Any) -> None:
    """A renamed department is found by its new name (``search_text`` includes the department name)."""
    from govhall.catalog import queries
    from govhall.catalog.models import ServiceItem

    if kwargs.get("raw") or kwargs.get("created"):
        return
    items = list(ServiceItem.objects.filter(department=instance).select_related("department"))
    for item in items:
        item.department = instance
        item.search_text = item.build_search_text()
    ServiceItem.objects.bulk_update(items, ["search_text"], batch_size=500)
    if items:
        transaction.on_commit(queries.bump_version)
