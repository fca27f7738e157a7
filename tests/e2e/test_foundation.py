"""A new user's first minutes: log in as each demo role, switch language, every page accessible."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible
from tillit.organisation.demo import PEOPLE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DEMO_LOGINS = [(username, description) for username, *_, description in PEOPLE if description]


@pytest.mark.parametrize(("username", "description"), DEMO_LOGINS)
def test_each_demo_role_logs_in_and_sees_their_start_page(
    demo, login, page: Page, username, description
):
    login(username)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Välkommen")
    expect(page.get_by_role("heading", name="Mina enheter")).to_be_visible()
    assert_accessible(page)


def test_start_page_screenshot_and_language_switch(demo, login, page: Page, artifacts, live_server):
    page.goto(f"{live_server.url}/konto/logga-in/")
    assert_accessible(page)
    login("anna.lindqvist")
    page.screenshot(path=str(artifacts / "start-page.png"), full_page=True)

    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Byt").click()
    expect(page.get_by_role("heading", name="My units")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page)

    page.get_by_label("Language").select_option("sv")
    page.get_by_role("button", name="Change").click()
    expect(page.get_by_role("heading", name="Mina enheter")).to_be_visible()


def test_keyboard_user_reaches_the_content_with_the_skip_link(demo, login, page: Page):
    login("anna.lindqvist")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till innehållet")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_phone_width_has_no_horizontal_scroll(demo, login, page: Page):
    page.set_viewport_size({"width": 360, "height": 740})
    login("lars.andersson")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    assert_accessible(page)


def test_administrator_opens_the_admin_in_swedish(demo, login, page: Page, live_server):
    login("sara.ek")
    page.get_by_role("link", name="Administration").first.click()
    expect(page.get_by_role("link", name="Administration av Tillit")).to_be_visible()
    page.goto(f"{live_server.url}/admin/organisation/unit/")
    expect(page.get_by_role("link", name="Socialförvaltningen")).to_be_visible()


def test_wrong_password_shows_a_clear_message(demo, page: Page, live_server):
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("anna.lindqvist")
    page.get_by_label("Lösenord").fill("fel-lösenord")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("alert")).to_contain_text("användarnamn och lösenord")
    assert_accessible(page)
