"""One vocabulary for how things reach the city: every channel field stores its values."""

from django.apps import apps

from rathaus.core.channels import Channel

FIELDS = [
    ("catalog", "ServiceChannel", "kind", {"appointment"}),
    ("accounts", "Representation", "channel", set()),
    ("applications", "Application", "channel", set()),
    ("appointments", "Appointment", "channel", set()),
]


def test_every_channel_field_speaks_the_one_vocabulary():
    for app_label, model_name, field_name, own in FIELDS:
        field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
        values = {value for value, _label in field.choices}
        assert values - own <= set(Channel.values), (model_name, values - own)
        assert "post" not in values and "in_person" not in values


def test_paper_and_the_counter_have_one_name_each():
    assert Channel.PAPER == "paper" and Channel.COUNTER == "counter"
    assert Channel.PAPER.label == "Papier oder Post"
