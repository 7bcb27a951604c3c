from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "rathaus.catalog"
    label = "catalog"
    verbose_name = _("Leistungskatalog")

    def ready(self) -> None:
        from . import digital_monitor, open_data  # noqa: F401

    def load_demo(self, *, scale: int, log) -> None:
        """Called by ``rathaus demo`` in INSTALLED_APPS order."""
        from .demo import load

        load(scale=scale, log=log)
