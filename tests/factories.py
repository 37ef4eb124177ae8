"""Factories shared by every app's tests."""

import factory
from django.contrib.auth import get_user_model

from core.text import fold
from org.models import OrgUnit


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"U{n:05d}")
    name = factory.LazyAttribute(lambda o: f"Đoàn đơn vị {o.code}")
    kind = OrgUnit.Kind.COMMUNE
    parent = None
    path = factory.LazyAttribute(lambda o: OrgUnit.build_path(o.parent.path if o.parent else None, o.code))
    depth = factory.LazyAttribute(lambda o: (o.parent.depth + 1) if o.parent else 0)
    search_name = factory.LazyAttribute(lambda o: fold(o.name))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Văn"
    last_name = "Nguyễn"
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery-9")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
