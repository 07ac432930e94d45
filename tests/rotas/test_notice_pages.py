"""The notices in the app: the list (newest first, unread marked), a notice's link leading where
one acts (a coordinator approves a hand-over from it), marking read, choosing what arrives by
e-mail and text; each person sees only their own."""

from __future__ import annotations

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from concierge.models import (
    Assignment,
    Notice,
    NoticeKind,
    NoticePreferences,
    OfferStatus,
)
from concierge.rotas import swaps


def hand_over(team):
    offer = swaps.shift_offer(
        assignment=Assignment.objects.create(shift=team.shift, membership=team.advisor_a),
        by=team.advisor_a,
    )
    return swaps.shift_take(offer=offer, by=team.advisor_b)


def test_the_coordinator_approves_a_hand_over_from_the_notice(client, team):
    offer = hand_over(team)
    notice = Notice.objects.get(kind=NoticeKind.HANDOVER_WAITING, user=team.coordinator.user)
    client.force_login(team.coordinator.user)
    page = client.get(f"/rotas/notices/{notice.public_id}/", follow=True)  # the e-mail's link
    html = page.content.decode()
    assert page.redirect_chain[-1][0] == f"/rotas/notices/#notice-{notice.public_id}"
    assert "Advisor-A hands the shift of Monday 1 June, 18:00–22:00 to Advisor-B" in html
    assert f'action="/rotas/offers/{offer.public_id}/decide/"' in html
    client.post(f"/rotas/offers/{offer.public_id}/decide/", {"decision": "approve"})
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DONE
    assert offer.assignment.membership == team.advisor_b
    # Decided: the page offers the buttons no more.
    assert "/decide/" not in client.get("/rotas/notices/").content.decode()


def test_a_manager_sees_the_hand_over_but_cannot_decide_from_it(client, team):
    hand_over(team)
    client.force_login(team.manager_a.user)
    html = client.get("/rotas/notices/").content.decode()
    assert "Advisor-A hands the shift of Monday 1 June" in html
    assert "/decide/" not in html


def test_an_advisor_takes_an_offered_shift_from_their_page(client, team):
    team.network.swaps_need_approval = False
    team.network.save()
    colleague = team.member("chloe", "advisor", team.a)
    offer = swaps.shift_offer(
        assignment=Assignment.objects.create(shift=team.shift, membership=team.advisor_a),
        by=team.advisor_a,
    )
    client.force_login(colleague.user)
    html = client.get("/rotas/me/").content.decode()
    assert "Advisor-A offers their shift of Monday 1 June, 18:00–22:00 (Alps evenings)." in html
    assert 'class="notice unread"' in html
    client.post(f"/rotas/offers/{offer.public_id}/take/")
    offer.refresh_from_db()
    assert offer.assignment.membership == colleague


def test_the_list_is_newest_first_and_marks_what_is_read(client, team):
    hand_over(team)  # advisor A hears the take
    first = Notice.objects.get(user=team.advisor_a.user)
    client.force_login(team.advisor_a.user)
    html = client.get("/rotas/notices/").content.decode()
    assert html.count('class="notice unread"') == 1
    assert '<span class="badge warn">1</span>' in html  # the header's unread count
    client.post(f"/rotas/notices/{first.public_id}/read/")
    first.refresh_from_db()
    assert first.read_at is not None
    html = client.get("/rotas/notices/").content.decode()
    assert 'class="notice unread"' not in html
    assert '<span class="badge warn">' not in html


def test_mark_all_read_and_back_to_the_page_one_came_from(client, team):
    hand_over(team)
    client.force_login(team.coordinator.user)
    answer = client.post("/rotas/notices/read/", {"next": "/rotas/"})
    assert answer["Location"] == "/rotas/"
    assert not Notice.objects.filter(user=team.coordinator.user, read_at__isnull=True).exists()
    elsewhere = client.post("/rotas/notices/read/", {"next": "https://evil.example/"})
    assert elsewhere["Location"] == "/rotas/notices/"


def test_nobody_opens_or_reads_someone_elses_notice(client, team):
    hand_over(team)
    notice = Notice.objects.get(user=team.advisor_a.user)
    client.force_login(team.advisor_b.user)
    assert client.get(f"/rotas/notices/{notice.public_id}/").status_code == 404
    assert client.post(f"/rotas/notices/{notice.public_id}/read/").status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None
    assert "would take your shift" not in client.get("/rotas/notices/").content.decode()


def test_the_list_pages_twenty_at_a_time(client, team):
    for n in range(25):
        Notice.objects.create(
            user=team.advisor_a.user,
            kind=NoticeKind.ASSIGNED,
            key=f"assigned:test-{n}",
            network=team.network,
            shift=team.shift,
            actor=team.manager_a.user,
        )
    client.force_login(team.advisor_a.user)
    assert client.get("/rotas/notices/").content.decode().count('class="notice unread"') == 20
    assert client.get("/rotas/notices/?page=2").content.decode().count("notice unread") == 5


def test_preferences_start_from_the_defaults_and_are_saved(client, team):
    client.force_login(team.advisor_a.user)
    html = client.get("/rotas/notices/preferences/").content.decode()
    assert 'name="soon_text" id="id_soon_text" checked' in html
    assert 'name="offered_text" id="id_offered_text">' in html
    assert 'name="offered_email" id="id_offered_email" checked' in html
    answer = client.post(
        "/rotas/notices/preferences/",
        {"language": "en", "soon_email": "on", "soon_text": "on", "handover_text": "on"},
    )
    assert answer.status_code == 302
    saved = NoticePreferences.objects.get(user=team.advisor_a.user)
    assert saved.language == "en"
    assert saved.email_kinds == ["soon"]
    assert sorted(saved.text_kinds) == ["handover", "soon"]
    # A take now stays in the app: advisor A chose no e-mail for it.
    hand_over(team)
    assert not [m for m in mail.outbox if m.to == ["advisor-a@example.com"]]


def test_a_language_we_do_not_write_is_refused(client, team):
    client.force_login(team.advisor_a.user)
    answer = client.post("/rotas/notices/preferences/", {"language": "xx"})
    assert answer.status_code == 200
    assert "Select a valid choice" in answer.content.decode()
    assert not NoticePreferences.objects.exists()


def test_the_notice_pages_are_for_members_of_a_network(client, team, django_user_model):
    someone = django_user_model.objects.create_user("someone@example.com", "pw")
    client.force_login(someone)
    assert client.get("/rotas/notices/").status_code == 404
    assert client.get("/rotas/notices/preferences/").status_code == 404


def notices_for(team, count: int) -> None:
    for n in range(count):
        Notice.objects.create(
            user=team.coordinator.user,
            kind=[NoticeKind.EMPTY_SEAT, NoticeKind.ASSIGNED, NoticeKind.SHIFT_SOON][n % 3],
            key=f"test-{count}-{n}",
            network=team.network,
            shift=team.shift,
            actor=team.manager_a.user,
        )


def queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_the_list_and_the_unread_count_cost_the_same_few_queries_however_many(client, team):
    client.force_login(team.coordinator.user)
    notices_for(team, 3)
    few = queries(client, "/rotas/notices/")
    notices_for(team, 17)
    many = queries(client, "/rotas/notices/")
    assert len(few) == len(many) <= 10  # session, user, membership, page count, notices,
    # their shifts' assignments, the reader's roles, the unread count, the header's membership
    # The header's unread count: one query, though the page shows it twice.
    assert len([q for q in many if "COUNT(*)" in q and "read_at" in q]) == 1


def test_the_list_reads_in_french_with_french_dates(client, team):
    hand_over(team)
    client.force_login(team.coordinator.user)
    client.cookies["django_language"] = "fr"
    html = client.get("/rotas/notices/").content.decode()
    assert "Advisor-A cède la permanence du lundi 1er juin, 18:00–22:00 à Advisor-B" in html
    assert "Tout marquer comme lu" in html
    page = client.get("/rotas/notices/preferences/").content.decode()
    assert "Une passation attend un accord" in page
    assert "Langue des e-mails et des SMS" in page
