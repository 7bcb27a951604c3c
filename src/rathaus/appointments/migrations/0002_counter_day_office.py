"""Counter days carry their office, so the search across offices needs no join."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_office(apps, schema_editor):
    CounterDay = apps.get_model("appointments", "CounterDay")
    Counter = apps.get_model("appointments", "Counter")
    CounterDay.objects.update(
        office_id=Subquery(Counter.objects.filter(pk=OuterRef("counter_id")).values("office_id"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0001_initial"),
        ("offices", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="counterday", name="counter_day_search"),
        migrations.AddField(
            model_name="counterday",
            name="office",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="offices.office",
            ),
        ),
        migrations.RunPython(fill_office, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="counterday",
            name="office",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="offices.office",
            ),
        ),
        migrations.AddIndex(
            model_name="counterday",
            index=models.Index(fields=["office", "day", "longest_run"], name="counter_day_search"),
        ),
    ]
