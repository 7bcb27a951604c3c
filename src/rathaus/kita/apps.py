from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KitaConfig(AppConfig):
    name = "rathaus.kita"
    label = "kita"
    verbose_name = _("Kita-Anmeldung")

    def ready(self) -> None:
        from rathaus.accounts import policy
        from rathaus.accounts.services import privacy as account_privacy
        from rathaus.core import navigation

        from . import digital_monitor, open_data  # noqa: F401
        from .models import ProviderMembership
        from .services import privacy

        policy.register_scope(
            "kita_provider",
            lambda user: ProviderMembership.objects.filter(user=user).values_list(
                "provider_id", flat=True
            ),
        )
        account_privacy.register(privacy.DATA_SOURCE)
        navigation.register(
            navigation.MAIN,
            navigation.Section("kita", _("Kita-Platz"), "kita:home", order=45),
        )
        navigation.register(
            navigation.ACCOUNT,
            navigation.Section("kita", _("Kita-Anmeldungen"), "kita:mine", order=27),
        )
        navigation.register(
            navigation.STAFF,
            navigation.Section(
                "kita",
                _("Kita-Plätze"),
                "kita:staff_home",
                order=35,
                visible=lambda user: (
                    bool(policy.scope_ids(user, "kita.manage", "kita_provider"))
                    or policy.can(user, "kita.assist")
                ),
            ),
        )

    def load_demo(self, *, scale: int, log) -> None:
        """Called by ``rathaus demo`` in INSTALLED_APPS order."""
        from .demo import load

        load(scale=scale, log=log)
