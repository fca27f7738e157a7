from __future__ import annotations

import factory

from tillit.catalogue.models import (
    CaseType,
    CaseTypeVersion,
    ChecklistItem,
    DocumentationLevel,
    Routing,
    VersionStatus,
)
from tillit.organisation.tests.factories import UnitFactory


class CaseTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseType

    name = factory.Sequence(lambda n: f"Ärendetyp {n}")
    code = factory.Sequence(lambda n: f"typ-{n}")
    administration = factory.SubFactory(UnitFactory)
    routing = Routing.CENTRE_HANDS_OVER
    service_days_centre = 1
    service_days_administration = 10
    documentation_level = DocumentationLevel.STANDARD
    is_public = True

    class Params:
        centre_resolves = factory.Trait(routing=Routing.CENTRE_RESOLVES)
        direct = factory.Trait(routing=Routing.ADMINISTRATION)
        secret = factory.Trait(default_secret=True)


def published_checklist(
    case_type: CaseType, items: list[tuple[str, bool]], *, number: int = 1
) -> CaseTypeVersion:
    """A published version of `case_type` with (text, required) items, as a contact person
    would have published it."""
    import uuid

    from django.utils import timezone

    version = CaseTypeVersion.objects.create(
        case_type=case_type,
        number=number,
        status=VersionStatus.PUBLISHED,
        published_at=timezone.now(),
        change_summary=f"Version {number}",
    )
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            version=version, key=uuid.uuid4().hex, position=i, text=text, required=required
        )
        for i, (text, required) in enumerate(items, start=1)
    )
    return version
