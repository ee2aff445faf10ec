from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "govhall.feedback"
    label = "feedback"
    verbose_name = _("咨询投诉与评价")

    def ready(self) -> None:
        from govhall.core.workdays.calendar import register_deadline_recomputer
        from govhall.feedback import (
            rules,  # noqa: F401 (registers the permissions)
            services,
        )

        register_deadline_recomputer(services.recompute_provisional_deadlines)
