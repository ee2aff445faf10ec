from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicensesConfig(AppConfig):
    name = "govhall.licenses"
    label = "licenses"
    verbose_name = _("电子证照")

    def ready(self) -> None:
        from govhall.licenses import rules  # noqa: F401 (registers the permissions)
        from govhall.licenses.signing import registry  # noqa: F401 (registers the file backend)
