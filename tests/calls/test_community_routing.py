"""A line for one affinity community rings and texts its members first, then anyone, exactly
as a topic is relaxed (issue 16, item 3)."""

from __future__ import annotations

import pytest

from ambassadors.models import CommunityMembership, MembershipStatus
from calls.models import Conversation, PhoneLine
from concierge.models import Community

from ..factories import every_day, make_ambassador
from .twilio import phone, text

pytestmark = pytest.mark.django_db

BRITISH = "+447911123456"


@pytest.fixture
def families_line(db):
    return PhoneLine.objects.create(
        number="+33199000000",
        label="Families",
        ring_group_size=2,
        community=Community.objects.get(code="families"),
        rings_early=False,  # one <Dial> to look at (test_early_ring rings during the greeting)
    )


@pytest.fixture
def locals_(db):
    """Five English speakers; only the last two are in the families community (one approved,
    one still waiting for staff), and they are last in the queue."""
    people = [
        make_ambassador(f"l{n}@example.com", name=f"L{n}", languages=("en",), slots=every_day())
        for n in range(5)
    ]
    families = Community.objects.get(code="families")
    CommunityMembership.objects.create(
        ambassador=people[3], community=families, status=MembershipStatus.APPROVED
    )
    CommunityMembership.objects.create(
        ambassador=people[4], community=families, status=MembershipStatus.PENDING
    )
    return people


def test_a_call_rings_the_communitys_approved_members_first(client, families_line, locals_):
    tourist = phone(client, from_=BRITISH).dial().wait()
    assert tourist.state == "ringing"
    # The one approved member rings, though last in the queue; the group's other phone is
    # found by relaxing the wish, as for a topic.
    numbers = [leg.number for leg in tourist.legs]
    assert len(numbers) == 2
    assert str(locals_[3].phone_number) in numbers


def test_with_no_member_free_the_call_relaxes_to_anyone(client, families_line, locals_):
    CommunityMembership.objects.filter(ambassador=locals_[3]).delete()
    tourist = phone(client, from_=BRITISH).dial().wait()
    assert tourist.state == "ringing"
    assert len(tourist.legs) == 2  # nobody approved: anyone, rather than no one


def test_a_text_goes_to_a_member_first(client, families_line, locals_):
    text(client, BRITISH, "Where can we eat with a toddler near the Louvre?")
    conversation = Conversation.objects.get()
    assert conversation.responder == locals_[3]


def test_over_many_calls_the_member_rings_for_each_while_free(client, families_line, locals_):
    for n in range(3):
        tourist = phone(client, from_=f"+4479111234{n:02d}").dial().wait()
        assert str(locals_[3].phone_number) in {leg.number for leg in tourist.legs}
        tourist.answer("2", str(locals_[3].phone_number))  # she says "not now" each time
