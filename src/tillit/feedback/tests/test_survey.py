"""The citizen's survey: sent once after closing, answered once through a link that expires."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tillit.cases.parties import PartyInput
from tillit.cases.states import Channel, EventKind
from tillit.cases.tests.factories import register
from tillit.feedback import actions
from tillit.feedback.models import FollowUp, Survey, SurveyAnswer
from tillit.feedback.states import SurveyStatus
from tillit.feedback.tests.helpers import (
    closed_case,
    send_surveys_later,
    start_survey_feed,
    survey_token_from_mail,
)

ANSWER = {"treatment": "5", "got_help": "4", "ease": "2", "comment": ""}


@pytest.fixture(autouse=True)
def _no_throttle_between_tests():
    cache.clear()


def survey_url(token: str) -> str:
    return reverse("feedback:survey", args=[token])


def test_a_closed_case_gets_one_survey_by_email_after_the_delay(world):
    start_survey_feed()
    case = closed_case(world)
    actions.schedule_surveys()
    assert actions.send_due_surveys() == 0, "nothing is sent before the delay"
    assert send_surveys_later(hours=25) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["karin@example.se"]
    assert case.registration_number in message.subject
    assert "/aterkoppling/e/" in message.body
    assert case.subject not in message.body, "the mail says nothing about the case's content"
    # The task runs again (a retry, the next period): no second mail.
    assert send_surveys_later(hours=30) == 0
    actions.schedule_surveys()
    assert len(mail.outbox) == 1
    assert Survey.objects.get(case=case).status == SurveyStatus.SENT


def test_switching_surveys_on_never_sends_about_old_cases(world):
    closed_case(world)
    start_survey_feed()  # the first run only notes where the log stands
    assert send_surveys_later() == 0
    assert mail.outbox == []


def test_a_phone_call_resolved_at_first_contact_with_an_email_gets_one_too(world):
    start_survey_feed()
    register(world, channel=Channel.PHONE, resolved_at_first_contact=True)
    assert send_surveys_later() == 1


def test_no_address_means_no_mail(world):
    start_survey_feed()
    case = closed_case(world, party=PartyInput(name="Lena Berg", phone="070-111 22 33"))
    assert send_surveys_later() == 0
    assert Survey.objects.get(case=case).status == SurveyStatus.NO_ADDRESS


def test_secret_cases_are_not_surveyed(world):
    start_survey_feed()
    closed_case(world, is_secret=True, secrecy_provision="26 kap. 1 § OSL")
    assert send_surveys_later() == 0
    assert not Survey.objects.exists()


def test_the_unit_decides_the_share_and_the_delay(world, client):
    start_survey_feed()
    actions.configure_surveys(
        unit=world.centre, by=manager_of(world.centre), enabled=True, share_percent=0,
        delay_hours=2, valid_days=7,
    )  # fmt: skip
    for _ in range(5):
        closed_case(world)
    assert send_surveys_later(hours=3) == 0, "a share of 0 % surveys nobody"
    actions.configure_surveys(
        unit=world.centre, by=manager_of(world.centre), enabled=True, share_percent=100,
        delay_hours=2, valid_days=7,
    )  # fmt: skip
    closed_case(world)
    actions.schedule_surveys()
    assert actions.send_due_surveys(now=timezone.now() + timedelta(hours=1)) == 0
    assert actions.send_due_surveys(now=timezone.now() + timedelta(hours=3)) == 1
    survey = Survey.objects.get(status=SurveyStatus.SENT)
    assert survey.expires_at - survey.sent_at == timedelta(days=7)


def test_about_half_the_cases_fall_in_a_fifty_percent_share():
    picked = sum(actions.sampled(case_id, 50) for case_id in range(1, 2001))
    assert 900 < picked < 1100
    assert [actions.sampled(7, 50)] * 3 == [actions.sampled(7, 50) for _ in range(3)]


def manager_of(unit):
    from tillit.organisation.models import Role
    from tillit.organisation.tests.factories import PersonFactory

    return PersonFactory(member_of=unit, member_of__role=Role.MANAGER)


@pytest.fixture
def token(world) -> str:
    start_survey_feed()
    closed_case(world)
    send_surveys_later()
    return survey_token_from_mail()


def test_the_citizen_answers_from_the_link_and_cannot_answer_twice(client, token):
    page = client.get(survey_url(token))
    assert page.status_code == 200
    assert "Hur blev du bemött?" in page.content.decode()
    response = client.post(survey_url(token), ANSWER)
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    answer = SurveyAnswer.objects.get()
    assert (answer.treatment, answer.got_help, answer.ease) == (5, 4, 2)
    again = client.post(survey_url(token), {**ANSWER, "treatment": "1"})
    assert "Enkäten är redan besvarad" in again.content.decode()
    assert SurveyAnswer.objects.count() == 1
    assert SurveyAnswer.objects.get().treatment == 5


def test_every_question_must_be_answered_and_the_form_says_which(client, token):
    response = client.post(survey_url(token), {"treatment": "5", "ease": "9"})
    assert response.status_code == 400  # refused: the page names each problem (issue 9)
    text = response.content.decode()
    assert "Välj om du fick hjälp." in text
    assert "Välj ett giltigt alternativ" in text
    assert not SurveyAnswer.objects.exists()


def test_the_comment_is_stored_without_personal_data(client, token):
    comment = "Tack till Anna Lindqvist! Ring mig på 070-123 45 67 eller anna.b@example.se."
    client.post(survey_url(token), {**ANSWER, "comment": comment})
    stored = SurveyAnswer.objects.get().comment
    assert "Anna" not in stored and "070" not in stored and "example" not in stored
    assert stored == "Tack till [namn]! Ring mig på [telefon] eller [e-post]."


def test_an_expired_link_is_refused(client, token):
    Survey.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(survey_url(token))
    assert response.status_code == 410
    assert "Länken har gått ut" in response.content.decode()
    assert client.post(survey_url(token), ANSWER).status_code == 410
    actions.expire_surveys()
    assert client.get(survey_url(token)).status_code == 410
    assert not SurveyAnswer.objects.exists()


def test_an_unknown_link_is_not_found(client, world):
    assert client.get(survey_url("not-a-real-token")).status_code == 404


def test_guessing_links_is_slowed_down(client, world):
    statuses = [client.get(survey_url(f"guess-{i}")).status_code for i in range(61)]
    assert statuses[:60] == [404] * 60
    assert statuses[60] == 429


def test_an_unhappy_citizen_who_asks_becomes_a_follow_up_for_the_owner(client, token, world):
    client.post(
        survey_url(token),
        {
            "treatment": "1",
            "got_help": "1",
            "ease": "2",
            "comment": "Ingen ringde tillbaka.",
            "wants_contact": "on",
            "contact": "070-765 43 21",
        },
    )
    follow_up = FollowUp.objects.get()
    assert follow_up.unit == world.centre
    assert follow_up.contact == "070-765 43 21"
    event = follow_up.case.events.get(kind=EventKind.FOLLOW_UP)
    assert event.actor is None and "kontaktad" in event.body
    client.force_login(world.centre_colleague)
    listing = client.get(reverse("feedback:follow_ups"))
    assert follow_up.case.registration_number in listing.content.decode()
    assert "Ingen ringde tillbaka." in listing.content.decode()
    start = client.get(reverse("accounts:start"))
    assert "Invånare att kontakta" in start.content.decode()
    page = client.get(reverse("cases:case", args=[follow_up.case_id])).content.decode()
    assert "Uppföljning: invånaren vill bli kontaktad" in page and "070-765 43 21" in page
    done = client.post(
        reverse("feedback:complete_follow_up", args=[follow_up.pk]),
        {"note": "Ringde upp och bad om ursäkt."},
    )
    assert done.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == "done" and follow_up.done_by == world.centre_colleague
    assert follow_up.case.events.filter(kind=EventKind.FOLLOW_UP).count() == 2


def test_another_unit_cannot_see_or_complete_the_follow_up(client, token, world):
    client.post(survey_url(token), {**ANSWER, "wants_contact": "on"})
    follow_up = FollowUp.objects.get()
    client.force_login(world.other_staff)
    assert (
        follow_up.case.registration_number
        not in client.get(reverse("feedback:follow_ups")).content.decode()
    )
    refused = client.post(
        reverse("feedback:complete_follow_up", args=[follow_up.pk]), {"note": "Hej"}
    )
    assert refused.status_code == 404
    assert FollowUp.objects.get().status == "open"


def test_staff_hand_out_a_receipt_with_a_short_link_and_a_qr_code(client, world):
    case = register(world, channel=Channel.VISIT, party=PartyInput(name="Per Sandberg"))
    client.force_login(world.centre_staff)
    response = client.post(reverse("feedback:receipt", args=[case.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert '<svg class="qr"' in text and "style=" not in text.split('<svg class="qr"')[1][:5000]
    link = text.split('class="short-link"><a href="')[1].split('"')[0]
    assert "/aterkoppling/e/" in link
    token = link.rstrip("/").rsplit("/", 1)[1]
    client.logout()
    assert client.post(survey_url(token), ANSWER).status_code == 302
    assert Survey.objects.get(case=case).source == "receipt"
    # Closing later does not send a second survey by e-mail.
    start_survey_feed()
    assert send_surveys_later() == 0


def test_a_new_receipt_replaces_the_earlier_link(client, world):
    case = register(world, channel=Channel.VISIT)
    first = actions.issue_receipt_link(case=case, by=world.centre_staff)
    second = actions.issue_receipt_link(case=case, by=world.centre_staff)
    assert client.get(survey_url(first)).status_code == 404
    assert client.get(survey_url(second)).status_code == 200


def test_only_the_owning_unit_hands_out_survey_links(client, world):
    case = register(world)
    client.force_login(world.other_staff)
    assert client.post(reverse("feedback:receipt", args=[case.pk])).status_code == 404
    assert not Survey.objects.exists()


@override_settings(TILLIT_BASE_URL="https://tillit.sjobacka.se")
def test_the_link_in_the_mail_uses_the_public_address(world):
    start_survey_feed()
    closed_case(world)
    send_surveys_later()
    assert "https://tillit.sjobacka.se/aterkoppling/e/" in mail.outbox[0].body


def test_a_closing_committed_late_is_still_found(world):
    """An event whose id was taken before the cursor moved past it, but committed after, is
    looked at again on the next run (a gap) instead of being skipped for ever."""
    import time

    from tillit.feedback import casefeed

    case = closed_case(world)
    closing = case.events.get(kind=EventKind.STATUS).pk
    now = time.time()
    late = casefeed.Position(last=closing, gaps={closing: now - 60})
    found, after = casefeed.closed_after(late, now=now)
    assert [c.case_id for c in found] == [case.pk]
    assert closing not in after.gaps
    assert casefeed.closed_after(casefeed.Position(last=closing, gaps={}), now=now)[0] == []
    forgotten = casefeed.Position(last=closing, gaps={closing: now - casefeed.GAP_SECONDS - 1})
    assert casefeed.closed_after(forgotten, now=now)[0] == []


def test_completing_a_follow_up_needs_a_note(client, token, world):
    client.post(survey_url(token), {**ANSWER, "wants_contact": "on"})
    follow_up = FollowUp.objects.get()
    client.force_login(world.centre_staff)
    response = client.post(
        reverse("feedback:complete_follow_up", args=[follow_up.pk]), {"note": ""}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Skriv vad som gjordes, för ärendeloggen." in text
    assert f'id="fu{follow_up.pk}_note"' in text
    assert FollowUp.objects.get().status == "open"
