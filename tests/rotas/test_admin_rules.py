"""Rules edited in the admin reshape only the shifts still ahead."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.utils import timezone

from concierge import rotas
from concierge.models import OfficeNetwork, RotaRule, Shift

from ..factories import make_user


def test_a_rule_changed_in_the_admin_rebuilds_future_shifts_only(client, db):
    network = OfficeNetwork.objects.create(name="Jura evenings")
    rule = RotaRule.objects.create(
        network=network,
        name="Evenings",
        weekdays="MO,TU,WE,TH,FR,SA,SU",
        start_time=time(18),
        end_time=time(22),
        starts_on=date(2020, 1, 1),
    )
    today = timezone.localdate()
    rotas.rota_expand(
        network=network, start=today - timedelta(days=3), end=today + timedelta(days=6)
    )
    past = set(Shift.objects.filter(starts_at__lt=timezone.now()).values_list("pk", "ends_at"))
    client.force_login(make_user("root@example.com", is_staff=True, is_superuser=True))
    data = {
        "name": "Jura evenings",
        "swaps_need_approval": "on",
        "offices-TOTAL_FORMS": "0",
        "offices-INITIAL_FORMS": "0",
        "rules-TOTAL_FORMS": "1",
        "rules-INITIAL_FORMS": "1",
        "rules-0-id": rule.pk,
        "rules-0-network": network.pk,
        "rules-0-name": "Evenings",
        "rules-0-weekdays": "MO,TU,WE,TH,FR,SA,SU",
        "rules-0-start_time": "18:00",
        "rules-0-end_time": "21:00",
        "rules-0-advisors_needed": "2",
        "rules-0-starts_on": "2020-01-01",
        "rules-0-on_holidays": "usual",
    }
    response = client.post(f"/admin/concierge/officenetwork/{network.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert (
        set(Shift.objects.filter(starts_at__lt=timezone.now()).values_list("pk", "ends_at")) == past
    )
    future = Shift.objects.filter(starts_at__gt=timezone.now())
    assert future.exists()
    assert all(s.ends_at.astimezone(rotas.destination_tz()).hour == 21 for s in future)
    assert {s.advisors_needed for s in future} == {2}
