"""The languages pages are translated into (a Wagtail ``Locale`` each), and the right of each
site's editors to start a translation (wagtail-localize's ``submit_translation``)."""

from django.conf import settings
from django.db import migrations


def forwards(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    content_type, _created = ContentType.objects.get_or_create(
        app_label="wagtail_localize", model="translation"
    )
    submit, _created = Permission.objects.get_or_create(
        content_type=content_type,
        codename="submit_translation",
        defaults={"name": "Can submit translations"},
    )
    editors = GroupPagePermission.objects.filter(permission__codename="add_page").values_list(
        "group_id", flat=True
    )
    submit.group_set.add(*set(editors))


class Migration(migrations.Migration):
    dependencies = [
        ("sites", "0002_search_vector_index"),
        ("wagtailcore", "0096_referenceindex_referenceindex_source_object_and_more"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
