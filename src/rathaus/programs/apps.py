from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "rathaus.programs"
    label = "programs"
    verbose_name = _("Angebote und Kurse")

    def ready(self) -> None:
        from rathaus.accounts import policy
        from rathaus.accounts.services import privacy as account_privacy
        from rathaus.core import navigation

        from . import digital_monitor, open_data  # noqa: F401
        from .models import ProviderMembership
        from .services import privacy

        policy.register_scope(
            "provider",
            lambda user: ProviderMembership.objects.filter(user=user).values_list(
                "provider_id", flat=True
            ),
        )
        account_privacy.register(privacy.DATA_SOURCE)
        navigation.register(
            navigation.MAIN,
            navigation.Section("angebote", _("Kurse & Angebote"), "programs:search", order=40),
        )
        navigation.register(
            navigation.ACCOUNT,
            navigation.Section("programs", _("Meine Buchungen"), "programs:mine", order=25),
        )
        navigation.register(
            navigation.STAFF,
            navigation.Section(
                "programs",
                _("Angebote"),
                "programs:provider_home",
                order=30,
                visible=lambda user: (
                    bool(policy.scope_ids(user, "programs.manage", "provider"))
                    or policy.can(user, "programs.assist")
                ),
            ),
        )

    def load_demo(self, *, scale: int, log) -> None:
        """Called by ``rathaus demo`` in INSTALLED_APPS order."""
        from .demo import load

        load(scale=scale, log=log)
