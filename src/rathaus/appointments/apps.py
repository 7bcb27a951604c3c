from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "rathaus.appointments"
    label = "appointments"
    verbose_name = _("Termine")

    def ready(self) -> None:
        from django.utils import timezone

        from rathaus.accounts import policy
        from rathaus.accounts.services import privacy as account_privacy
        from rathaus.core import navigation
        from rathaus.offices import services as offices

        from . import digital_monitor, open_data  # noqa: F401
        from .services import days, privacy

        account_privacy.register(privacy.DATA_SOURCE)
        offices.on_hours_changed(
            lambda office: days.refresh_office(office.pk, timezone.localdate())
        )
        navigation.register(
            navigation.MAIN,
            navigation.Section("termine", _("Termin buchen"), "appointments:search", order=30),
        )
        navigation.register(
            navigation.ACCOUNT,
            navigation.Section("appointments", _("Meine Termine"), "appointments:mine", order=20),
        )
        navigation.register(
            navigation.STAFF,
            navigation.Section(
                "appointments",
                _("Termine"),
                "appointments:staff_offices",
                order=20,
                visible=lambda user: policy.can(user, "appointments.manage"),
            ),
        )

    def load_demo(self, *, scale: int, log) -> None:
        """Called by ``rathaus demo`` in INSTALLED_APPS order."""
        from .demo import load

        load(scale=scale, log=log)
