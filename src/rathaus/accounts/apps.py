from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "rathaus.accounts"
    label = "accounts"
    verbose_name = _("Konten und Zugänge")

    def ready(self) -> None:
        from rathaus.core.admin import set_permission_check

        from . import data_sources, policy
        from .services import privacy

        privacy.register(data_sources.DATA_SOURCE)
        set_permission_check(policy.can)

    def load_demo(self, *, scale: int, log) -> None:
        """Called by ``rathaus demo`` in INSTALLED_APPS order."""
        from .demo import load

        load(scale=scale, log=log)
