"""The demo network: the logins DESIGN promises, this month's and next month's shifts, gaps."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.utils import timezone

from concierge import demo
from concierge.models import Assignment, Membership, OfficeNetwork, Role, Shift


@pytest.mark.django_db
def test_the_demo_network_has_its_people_and_two_months_of_shifts():
    logins = dict(demo.seed(stdout=StringIO()))
    demo.seed(stdout=StringIO())  # idempotent
    assert {"coordinator@example.com", "manager@example.com", "advisor@example.com"} <= set(logins)
    network = OfficeNetwork.objects.get()
    assert network.offices.count() == 3
    advisor = Membership.objects.get(user__email="advisor@example.com")
    manager = Membership.objects.get(user__email="manager@example.com")
    assert (advisor.role, advisor.office, manager.role) == (Role.ADVISOR, manager.office, "manager")
    assert advisor.office is not None and advisor.office.name == "Paris"

    this_month = timezone.localdate().replace(day=1)
    next_month = (this_month + timedelta(days=32)).replace(day=1)
    months = {
        a.shift.starts_at.astimezone(timezone.get_current_timezone()).date().replace(day=1)
        for a in Assignment.objects.filter(membership=advisor).select_related("shift")
    }
    assert {this_month, next_month} <= months
    gaps = [s for s in Shift.objects.all() if s.assignments.count() < s.advisors_needed]
    assert 0 < len(gaps) < Shift.objects.count() // 4
