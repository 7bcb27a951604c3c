from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "rathaus.applications"
    label = "applications"
    verbose_name = _("Anträge")

    def ready(self) -> None:
        from rathaus.accounts import policy
        from rathaus.accounts.services import privacy as account_privacy
        from rathaus.core import navigation

        from . import digital_monitor, open_data  # noqa: F401
        from .services import privacy

        account_privacy.register(privacy.DATA_SOURCE)
        navigation.register(
            navigation.ACCOUNT,
            navigation.Section("applications", _("Meine Anträge"), "applications:mine", order=10),
        )
        navigation.register(
            navigation.STAFF,
            navigation.Section(
                "applications",
                _("Vorgänge"),
                "applications:inbox",
                order=10,
                visible=lambda user: policy.can(user, "cases.view"),
            ),
        )

    def load_demo(self, *, scale: int, log) -> None:
        """Called by ``rathaus demo`` in INSTALLED_APPS order."""
        from .demo import load

        load(scale=scale, log=log)
