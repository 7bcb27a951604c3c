"""How something reaches the city, or the city reaches a resident: one vocabulary.

Catalogue (ways to get a service), applications (how a case came in), appointments (how
it was booked) and representations (how staff act for someone) all use these values, so
a report or an open-data figure can count "paper" the same way everywhere. The glossary
(docs/glossary.md) maps them to the German terms.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Channel", "choices"]


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Papier oder Post")
    COUNTER = "counter", _("Vor Ort am Schalter")
    PHONE = "phone", _("Telefon")


def choices(*channels: Channel) -> list[tuple[str, str]]:
    """The ``choices`` of a field that allows only some channels, in the order given."""
    return [(channel.value, channel.label) for channel in channels]


def rename_value(app_label: str, model_name: str, field: str, old: str, new: str):
    """A migration operation that moves stored values from an old channel name to ours."""
    from django.db import migrations

    def forward(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        model.objects.filter(**{field: old}).update(**{field: new})

    def backward(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        model.objects.filter(**{field: new}).update(**{field: old})

    return migrations.RunPython(forward, backward)
