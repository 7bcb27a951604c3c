from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "rathaus.ledger"
    label = "ledger"
    verbose_name = _("Transparenzlog")

    @property
    def selfchecks(self) -> list:
        from . import keys

        return [("Transparenzlog-Schlüssel", keys.check)]

    def load_demo(self, *, scale: int, log) -> None:
        """Called by ``rathaus demo`` after every producer: the demo's records are appended
        and signed, so the log pages and tiles show a real log."""
        from .services.sequencer import sequence_all

        appended = sequence_all(progress=log)
        log(f"Transparenzlog: {appended} Einträge aufgenommen und signiert.")
