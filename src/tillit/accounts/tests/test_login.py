import re

import pytest
from django.core import mail

from tillit.organisation.models import Role
from tillit.organisation.tests.factories import PersonFactory, UnitFactory

PASSWORD = "ett-bra-losenord"


@pytest.fixture
def person(db):
    unit = UnitFactory(name="Kundcenter", code="KC", contact_centre=True)
    return PersonFactory(username="anna", member_of=unit, member_of__role=Role.STAFF)


def login(client, username, password):
    return client.post("/konto/logga-in/", {"username": username, "password": password})


def test_staff_logs_in_and_sees_their_units(client, person):
    response = login(client, "anna", PASSWORD)
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "Kundcenter" in page
    assert "Vem jag är" in page  # Swedish by default


def test_wrong_password_is_refused_with_a_message(client, person):
    response = login(client, "anna", "fel")
    assert response.status_code == 200
    assert "korrekt användarnamn och lösenord" in response.content.decode()


def test_five_failures_lock_the_account_even_for_the_right_password(client, person):
    for _ in range(5):
        login(client, "anna", "fel")
    response = login(client, "anna", PASSWORD)
    assert response.status_code == 429
    assert "tillfälligt låst" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_start_page_requires_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/konto/logga-in/")


def test_logout_is_a_post(client, person):
    client.force_login(person)
    assert client.get("/konto/logga-ut/").status_code == 405
    client.post("/konto/logga-ut/")
    assert client.get("/").status_code == 302


def test_password_reset_by_e_mail(client, person):
    """A person who forgot their password gets a one-time link and can choose a new one."""
    client.post("/konto/aterstall/", {"email": person.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/konto/aterstall/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    new = "nytt-langt-losenord-2026"
    client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    person.refresh_from_db()
    assert person.check_password(new)
    assert person.password.startswith(("argon2", "md5"))


def test_sessions_expire(settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_passwords_are_hashed_with_argon2_in_production():
    from config import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
