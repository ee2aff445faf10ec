from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "govhall.appointments"
    label = "appointments"
    verbose_name = _("预约办理")

    def ready(self) -> None:
        from govhall.appointments.backends import registry  # noqa: F401 (registers the built-in backend)
