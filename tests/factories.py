import factory

from rathaus.accounts.models import Person, Role, User
from rathaus.accounts.services import staff
from rathaus.catalog import search
from rathaus.catalog.models import Service, Topic
from rathaus.offices.models import Office


class UserFactory(factory.django.DjangoModelFactory):
    """A resident's account (e-mail only; passkeys come from tests.passkeys.Authenticator)."""

    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@beispiel.de")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create_user(*args, **kwargs)


class StaffFactory(UserFactory):
    """A staff member; ``roles`` and ``offices`` are set through accounts.services.staff."""

    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"mitarbeiterin{n}@demo.duesseldorf.invalid")
    full_name = factory.Sequence(lambda n: f"Mitarbeiterin {n}")
    staff_number = factory.Sequence(lambda n: f"S-{n:04d}")

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        if create:
            staff.set_staff(
                obj,
                roles=extracted
                if extracted is not None
                else [Role.ADMINISTRATOR, Role.CATALOGUE_EDITOR],
                offices=kwargs.get("offices", []),
                by=None,
            )


class PersonFactory(factory.django.DjangoModelFactory):
    """A person without an account, recorded at a counter (demo address)."""

    class Meta:
        model = Person

    given_name = "Erika"
    family_name = "Mustermann"
    street = "Musterweg 7"
    postcode = "40225"
    city = "Düsseldorf"
    purpose = "Wohngeld"
    office = factory.LazyFunction(lambda: Office.objects.get(slug="buergerbuero-bilk"))
    created_by = factory.SubFactory(StaffFactory)


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
