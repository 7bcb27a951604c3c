from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LanguageConfig(AppConfig):
    name = "rathaus.language"
    label = "language"
    verbose_name = _("Sprache")
