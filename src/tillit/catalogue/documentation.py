"""Which facts of a case its type's documentation level requires ("right quality for the right
case", issue 4; decision 0450). Good enough, no more:

- light: the subject (a quick question answered on the phone);
- standard: also a description and a way to reach the citizen: a name with an e-mail address,
  phone number, postal address or personnummer (the population register gives the address);
- thorough: also the citizen's personnummer, or the reason why there is none.

The checklist follows the same levels: an item is required from a level (`models.reaches`).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tillit.catalogue.models import LEVEL_ORDER, DocumentationLevel

# What each level adds to the one below, in the order the registration form asks for it.
ADDS: dict[str, list[Promise]] = {
    DocumentationLevel.LIGHT: [_("a subject")],
    DocumentationLevel.STANDARD: [
        _("a description"),
        _("the citizen's name and e-mail address, phone number, postal address or personnummer"),
    ],
    DocumentationLevel.THOROUGH: [
        _("the citizen's personnummer, or why there is none"),
    ],
}


def required_facts(level: str) -> list[Promise]:
    """What a case of a type at `level` must have when it is registered, for the type's page."""
    upto = LEVEL_ORDER.index(DocumentationLevel(level)) + 1
    return [fact for each in LEVEL_ORDER[:upto] for fact in ADDS[each]]


def _at_least(level: str, floor: DocumentationLevel) -> bool:
    return LEVEL_ORDER.index(DocumentationLevel(level)) >= LEVEL_ORDER.index(floor)


def missing_facts(
    *,
    level: str,
    description: str,
    name: str,
    email: str,
    phone: str,
    address: str,
    personal_number: str,
    no_personal_number_reason: str,
) -> dict[str, list[str]]:
    """The fields a registration lacks for `level`, each with the message to show on it. The
    subject is required at every level by the registration itself."""
    refusals: dict[str, list[str]] = {}
    if not _at_least(level, DocumentationLevel.STANDARD):
        return refusals
    if not description.strip():
        refusals["description"] = [
            str(
                _("The case type needs a description of the case (documentation level %(level)s).")
                % {"level": DocumentationLevel(level).label}
            )
        ]
    if not name.strip():
        refusals["name"] = [
            str(_("The case type needs the citizen's name and a way to reach them."))
        ]
    elif not (email.strip() or phone.strip() or address.strip() or personal_number.strip()):
        refusals["email"] = [
            str(
                _(
                    "The case type needs an e-mail address, phone number, postal address "
                    "or personnummer."
                )
            )
        ]
    if not _at_least(level, DocumentationLevel.THOROUGH):
        return refusals
    if not personal_number.strip() and not no_personal_number_reason.strip():
        refusals["personal_number"] = [
            str(
                _(
                    "The case type needs the citizen's personnummer; "
                    "if there is none, write why below."
                )
            )
        ]
    return refusals
