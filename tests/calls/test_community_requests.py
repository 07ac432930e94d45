"""A tourist asks for an affinity community: a key in the menu, a phrase said, a keyword
written (issue 16, item 3). Members ring (or get the text) first, then anyone; the local hears
and reads which community, in their language. Every step is a signed webhook."""

from __future__ import annotations

import pytest

from ambassadors.models import CommunityMembership, MembershipStatus
from calls.models import Call, Conversation, PhoneLine
from calls.simulator.engine import parse
from calls.telephony import locmem
from concierge.models import CallMotive, Community, Region

from ..factories import every_day, make_ambassador
from .twilio import phone, signed_post, text

pytestmark = pytest.mark.django_db

BRITISH = "+447400123456"
COMMUNITY_QUESTION = "Would you like a local who shares your way of travelling? Our communities:"


def join(ambassador, code: str, status: str = MembershipStatus.APPROVED) -> None:
    community = Community.objects.get(code=code)
    CommunityMembership.objects.create(ambassador=ambassador, community=community, status=status)


@pytest.fixture
def locals_(db):
    """Four English speakers, free all week. Hana hikes and Fred has children (approved
    members); Pia asked to join the hikers and waits for staff. Kit is in no community."""
    people = {
        name: make_ambassador(
            f"{name.lower()}@example.com", name=name, languages=("en",), slots=every_day()
        )
        for name in ("Kit", "Pia", "Hana", "Fred")
    }
    join(people["Hana"], "hikers")
    join(people["Fred"], "families")
    join(people["Pia"], "hikers", MembershipStatus.PENDING)
    return people


def asked_for(tourist) -> str | None:
    call = Call.objects.select_related("community").get(sid=tourist.sid)
    return call.community.code if call.community else None


def ringing(tourist) -> str:
    return tourist.legs[0].number


def to_the_topic_menu(client):
    """A British caller on the national line's full menu, at the topic question."""
    return phone(client, from_=BRITISH).dial().wait().wait()


def test_the_menu_offers_communities_with_members_after_the_topic(client, national_line, locals_):
    tourist = to_the_topic_menu(client).press("2")  # food and wine
    assert COMMUNITY_QUESTION in tourist.said
    # Only communities somebody approved is in: hikers (1) and families (2), in their order.
    assert "For Hikers and walkers, press 1." in tourist.said
    assert "For Families with children, press 2." in tourist.said
    assert not any("Wine lovers" in line for line in tourist.said)
    assert tourist.said[-1] == "For any local, press 0."
    assert tourist.listens  # the community question listens too


def test_a_key_chooses_the_community_and_its_member_rings_first(client, national_line, locals_):
    tourist = to_the_topic_menu(client).press("2").press("1").press("0")  # hikers, anywhere
    assert tourist.state == "ringing"
    assert asked_for(tourist) == "hikers"
    assert ringing(tourist) == str(locals_["Hana"].phone_number)
    tourist.answer("1")
    assert tourist.whispered[0] == "This tourist asked for a local from: Hikers and walkers."
    assert tourist.state == "connected"


def test_0_asks_for_no_community(client, national_line, locals_):
    tourist = to_the_topic_menu(client).press("2").press("0").press("0")
    assert tourist.state == "ringing"
    assert asked_for(tourist) is None


def test_with_no_member_free_the_call_relaxes_to_anyone(client, national_line, locals_):
    hana = locals_["Hana"]
    hana.accepting_calls = False  # she turned calls off for tonight
    hana.save(update_fields=["accepting_calls"])
    tourist = to_the_topic_menu(client).press("2").press("1").press("0")
    assert tourist.state == "ringing"  # rather than nobody
    assert asked_for(tourist) == "hikers"
    assert ringing(tourist) != str(hana.phone_number)
    tourist.answer("1")
    assert tourist.whispered[0].startswith("This tourist asked for a local from: Hikers")


def test_a_confident_phrase_at_the_topic_question_skips_the_community_question(
    client, national_line, locals_
):
    tourist = to_the_topic_menu(client).speak("hiking in the Alps", confidence=0.9)
    assert tourist.state == "ringing"  # topic, community and region in one sentence
    assert COMMUNITY_QUESTION not in tourist.said
    call = Call.objects.get(sid=tourist.sid)
    assert (call.motive_id, call.region_id) == (
        CallMotive.objects.get(code="unusual-places").pk,
        Region.objects.get(code="auvergne-rhone-alpes").pk,
    )
    assert asked_for(tourist) == "hikers"
    assert ringing(tourist) == str(locals_["Hana"].phone_number)


def test_a_doubtful_phrase_is_confirmed_with_a_key(client, national_line, locals_):
    tourist = to_the_topic_menu(client).press("2").speak("we travel with kids", confidence=0.4)
    assert tourist.said[-1] == "Did you say with kids? Press 1 for yes, 2 to choose again."
    assert asked_for(tourist) is None  # nothing taken yet
    tourist.press("1")
    assert tourist.state == "menu"  # on to the region question
    assert asked_for(tourist) == "families"
    tourist.press("0")
    assert ringing(tourist) == str(locals_["Fred"].phone_number)


def test_2_after_a_doubtful_phrase_asks_the_community_question_again(
    client, national_line, locals_
):
    tourist = to_the_topic_menu(client).press("2").speak("with kids", confidence=0.3).press("2")
    assert COMMUNITY_QUESTION in tourist.said[-5:]
    assert asked_for(tourist) is None


def test_a_phrase_in_the_callers_language(client, national_line, locals_):
    german = phone(client, from_="+4915112345678").dial().wait().wait().press("2")
    german.speak("Wir reisen mit Kindern", confidence=0.8)
    assert asked_for(german) == "families"


def test_a_line_of_one_community_asks_no_community_question(client, national_line, locals_):
    national_line.community = Community.objects.get(code="families")
    national_line.save(update_fields=["community"])
    tourist = to_the_topic_menu(client).press("2")
    assert COMMUNITY_QUESTION not in tourist.said
    tourist.press("0")
    assert asked_for(tourist) == "families"  # the line's own
    assert ringing(tourist) == str(locals_["Fred"].phone_number)


def test_callers_who_stay_on_the_line_hear_nothing_more(client, locals_):
    PhoneLine.objects.create(
        number="+33199000000", label="Short", ring_group_size=1, rings_early=False
    )
    tourist = phone(client, from_=BRITISH).dial().wait()
    assert tourist.state == "ringing"
    assert COMMUNITY_QUESTION not in tourist.said
    assert asked_for(tourist) is None


# --- Texts -------------------------------------------------------------------------------------


def inbox(number) -> list[str]:
    return [sms.body for sms in locmem.outbox if sms.to == number.as_e164]


def test_a_keyword_in_the_first_text_asks_for_the_community(
    client, national_line, locals_, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        text(client, BRITISH, "HIKERS")
    conversation = Conversation.objects.get()
    assert conversation.community_id == Community.objects.get(code="hikers").pk
    assert conversation.responder == locals_["Hana"]
    first = inbox(locals_["Hana"].phone_number)[0]
    assert first.startswith(f"[#{conversation.code} United Kingdom, Hikers and walkers] HIKERS")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("Where can we eat with kids near the Louvre?", "families"),
        ("Is the Louvre easy with a wheelchair?", "accessible-travel"),
        ("Any LGBT friendly bars in the Marais?", "lgbtq-friendly"),
        ("Families with children: what to do in Lyon?", "families"),
        ("Nous voyageons en famille, que faire à Nice ?", "families"),
        ("Where to eat near the Louvre?", None),
        ("Is there a Segay street?", None),  # "gay" only as a word
    ],
)
def test_what_a_first_text_asks_for(client, national_line, locals_, body, code):
    text(client, BRITISH if "Nous" not in body else "+33612345678", body)
    conversation = Conversation.objects.get()
    assert (conversation.community.code if conversation.community else None) == code


def test_a_text_relaxes_to_anyone_when_no_member_is_free(client, national_line, locals_):
    fred = locals_["Fred"]
    fred.accepting_calls = False
    fred.save(update_fields=["accepting_calls"])
    text(client, BRITISH, "What to do with kids in Paris on a rainy day?")
    conversation = Conversation.objects.get()
    assert conversation.community_id == Community.objects.get(code="families").pk
    assert conversation.responder is not None and conversation.responder != fred


def test_a_french_speaking_member_reads_the_community_in_french(
    client, national_line, django_capture_on_commit_callbacks
):
    lea = make_ambassador("lea@example.com", name="Léa", languages=("en", "fr"), slots=every_day())
    join(lea, "families")
    with django_capture_on_commit_callbacks(execute=True):
        text(client, BRITISH, "Where to go with kids in Paris?")
    first = inbox(lea.phone_number)[0]
    assert "Royaume-Uni, Familles avec enfants]" in first


def test_a_french_speaking_member_hears_the_community_in_french(client, national_line):
    lea = make_ambassador("lea@example.com", name="Léa", languages=("en", "fr"), slots=every_day())
    join(lea, "families")
    tourist = to_the_topic_menu(client).press("2").press("1").press("0")
    tourist.answer("1")
    assert "Familles avec enfants" in tourist.whispered[0]


def test_the_members_web_page_of_the_conversation_names_the_community(
    client, national_line, locals_
):
    text(client, BRITISH, "Any hiking tips near Annecy?")
    conversation = Conversation.objects.get()
    assert conversation.responder == locals_["Hana"]
    client.force_login(locals_["Hana"].user)
    page = client.get(f"/calls/conversations/{conversation.public_id}/").text
    assert "Community asked for: Hikers and walkers" in page


def test_the_community_question_hints_its_phrases_in_the_callers_language(
    client, national_line, locals_
):
    german = phone(client, from_="+4915112345678").dial().wait().wait().press("2")
    page = signed_post(client, german._gather_action.split("?")[0], german.params())
    gather = parse(page.content.decode()).find("Gather")
    assert gather is not None and gather.get("language") == "de-DE"
    hints = gather.get("hints", "").split(",")
    assert "mit Kindern" in hints and "Wandern" in hints and "Familien mit Kindern" in hints
    assert "with kids" not in hints
