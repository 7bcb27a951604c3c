import factory
from django.contrib.auth import get_user_model

from rathaus.catalog import search
from rathaus.catalog.models import Service, Topic
from rathaus.offices.models import Office


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"mitarbeiterin{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@demo.duesseldorf.invalid")
    password = factory.django.Password("sicheres-Passwort-2026")


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    slug = factory.Sequence(lambda n: f"thema-{n}")
    title = factory.Sequence(lambda n: f"Thema {n}")


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    slug = factory.Sequence(lambda n: f"testamt-{n}")
    name = factory.Sequence(lambda n: f"Testamt {n}")
    kind = Office.Kind.AUTHORITY
    street = "Teststraße 1"
    postcode = "40213"
    is_demo = True


class ServiceFactory(factory.django.DjangoModelFactory):
    """A published service that is already in the search index."""

    class Meta:
        model = Service
        skip_postgeneration_save = True

    leika = "99000000000000"
    slug = factory.Sequence(lambda n: f"testleistung-{n}")
    title = factory.Sequence(lambda n: f"Testleistung {n}")
    summary = "Eine Leistung, die nur in Tests vorkommt."
    office = factory.SubFactory(OfficeFactory)

    @factory.post_generation
    def indexed(obj, create, extracted, **kwargs):
        if create:
            search.reindex([obj])
