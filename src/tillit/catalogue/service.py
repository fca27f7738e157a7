"""The service description of a case type: everything needed to order the service from a
provider, as a printable page and as JSON (issue 4). Staff only, like the rest of the catalogue:
the public description a resident sees is the citizen form's business."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tillit.catalogue import queries
from tillit.catalogue.models import CaseType, CaseTypeVersion, ChecklistItem
from tillit.organisation.models import Unit


@dataclass(frozen=True)
class ServiceDescription:
    case_type: CaseType
    registered_by: Unit
    handed_over_to: Unit | None
    version: CaseTypeVersion | None
    items: list[ChecklistItem]

    @property
    def total_days(self) -> int:
        return self.case_type.service_days_centre + self.case_type.service_days_administration

    @property
    def checklist(self) -> list[tuple[ChecklistItem, bool]]:
        """Each item with whether it is required at the type's documentation level."""
        return [(item, item.is_required_at(self.case_type)) for item in self.items]

    def as_json(self) -> dict[str, Any]:
        case_type = self.case_type

        def unit(value: Unit | None) -> dict[str, str] | None:
            return None if value is None else {"code": value.code, "name": value.name}

        return {
            "code": case_type.code,
            "name": case_type.name,
            "public_name": case_type.public_name or case_type.name,
            "description": case_type.service_description,
            "what_you_get": case_type.what_you_get,
            "what_you_provide": case_type.what_you_provide,
            "how_long": case_type.how_long,
            "cost": case_type.cost,
            "administration": unit(case_type.administration),
            "routing": {
                "value": case_type.routing,
                "label": str(case_type.get_routing_display()),
                "registered_by": unit(self.registered_by),
                "handed_over_to": unit(self.handed_over_to),
            },
            "service_levels": {
                "contact_centre_working_days": case_type.service_days_centre,
                "administration_working_days": case_type.service_days_administration,
                "total_working_days": self.total_days,
            },
            "documentation_level": {
                "value": case_type.documentation_level,
                "label": str(case_type.get_documentation_level_display()),
            },
            "offered_in_citizen_form": case_type.is_public,
            "secret_by_default": case_type.default_secret,
            "retention_years": case_type.retention_years,
            "checklist": None
            if self.version is None
            else {
                "version": self.version.number,
                "published_at": self.version.published_at.isoformat()
                if self.version.published_at
                else None,
                "items": [
                    {
                        "position": position,
                        "text": item.text,
                        "guidance": item.guidance,
                        "link": item.link,
                        "required": required,
                    }
                    for position, (item, required) in enumerate(self.checklist, start=1)
                ],
            },
        }


def describe(case_type: CaseType) -> ServiceDescription:
    """The description of `case_type` with the checklist of its current published version."""
    version = queries.current_version(case_type)
    items = list(version.items.order_by("position", "id")) if version is not None else []
    return ServiceDescription(
        case_type=case_type,
        registered_by=queries.initial_owner(case_type),
        handed_over_to=queries.proposed_handover_target(case_type),
        version=version,
        items=items,
    )
