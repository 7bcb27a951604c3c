from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "rathaus.ledger"
    label = "ledger"
    verbose_name = _("Transparenzlog")

    def ready(self) -> None:
        from rathaus.core import navigation

        navigation.register(
            navigation.FOOTER,
            navigation.Section("transparenz", _("Transparenzlog"), "ledger:about", order=60),
        )

    @property
    def selfchecks(self) -> list:
        from . import keys

        return [("Transparenzlog-Schlüssel", keys.check)]

    def load_demo(self, *, scale: int, log) -> None:
        """Called by ``rathaus demo`` after every producer: the demo's records (and an
        archive of 2025) are appended and signed, so pages and tiles show a real log."""
        from .demo import load

        load(scale=scale, log=log)
