from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "govhall.core.audit"
    label = "audit"
    verbose_name = _("审计日志")

    def ready(self) -> None:
        from govhall.core.audit import checks  # noqa: F401  (registers the system check)
