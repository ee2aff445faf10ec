from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "govhall.applications"
    label = "applications"
    verbose_name = _("申请办理")

    def ready(self) -> None:
        from govhall.applications import clocks
        from govhall.applications.scanning import registry  # noqa: F401 (registers the no-op scanner)
        from govhall.core.workdays.calendar import register_deadline_recomputer

        register_deadline_recomputer(clocks.recompute_provisional_deadlines)

        from govhall.accounts.services import register_open_work
        from govhall.applications.assignment import OpenApplications

        register_open_work(OpenApplications())  # a role is not removed while it strands applications
