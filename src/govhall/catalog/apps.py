from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "govhall.catalog"
    label = "catalog"
    verbose_name = _("事项目录")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from govhall.catalog import signals
        from govhall.directory.models import Department

        post_save.connect(signals.refresh_department_items, sender=Department, dispatch_uid="catalog_department_rename")
