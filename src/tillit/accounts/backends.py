"""Django's model backend, with the signed-in person read by a prepared query.

Every request of a signed-in person reads that person: `ModelBackend.get_user` compiles the same
query each time (decision 0007). Sign-in, passwords and permissions are Django's unchanged.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from tillit.core.prepared import Prepared
from tillit.organisation.models import Person

_PERSON: Prepared[Person] = Prepared(lambda pk: Person.objects.filter(pk=pk), pk=int)


class PersonBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Person | None:
        if type(user_id) is not int:  # the session's key as the user model's field reads it
            return super().get_user(user_id)
        found = _PERSON(pk=user_id)
        if not found or not self.user_can_authenticate(found[0]):
            return None
        return found[0]
