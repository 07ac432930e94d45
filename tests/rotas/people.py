"""Two offices of one network and an outsider, shared by the rota tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from concierge import rotas
from concierge.models import Membership, OfficeNetwork, Role, RotaRule, Shift, TouristOffice

from ..factories import make_user

NOW = datetime(2026, 6, 1, 9, tzinfo=UTC)  # a Monday morning: June's shifts are ahead


class Team:
    """Two offices of one network, and someone from another network."""

    def __init__(self) -> None:
        self.network = OfficeNetwork.objects.create(name="Alps evenings")
        self.a = TouristOffice.objects.create(name="Annecy", network=self.network)
        self.b = TouristOffice.objects.create(name="Briançon", network=self.network)
        self.coordinator = self.member("coord", Role.COORDINATOR, None)
        self.manager_a = self.member("manager-a", Role.MANAGER, self.a)
        self.manager_b = self.member("manager-b", Role.MANAGER, self.b)
        self.advisor_a = self.member("advisor-a", Role.ADVISOR, self.a, "+33612340501")
        self.advisor_b = self.member("advisor-b", Role.ADVISOR, self.b, "+33612340502")
        other = OfficeNetwork.objects.create(name="Elsewhere")
        self.outsider = Membership.objects.create(
            user=make_user("outsider@example.com"), network=other, role=Role.COORDINATOR
        )
        RotaRule.objects.create(
            network=self.network,
            name="Evenings",
            weekdays="MO,TU,WE,TH,FR",
            start_time=time(18),
            end_time=time(22),
            advisors_needed=2,
            starts_on=date(2026, 1, 1),
        )
        rotas.rota_expand(network=self.network, start=date(2026, 6, 1), end=date(2026, 6, 30))
        self.shift = Shift.objects.order_by("starts_at").first()

    def member(self, name, role, office, phone=None) -> Membership:
        return Membership.objects.create(
            user=make_user(f"{name}@example.com", first_name=name.title()),
            network=self.network,
            office=office,
            role=role,
            phone_number=phone,
            phone_verified_at=NOW if phone else None,
        )


def assign(client, team, who, advisor):
    client.force_login(who.user)
    return client.post(
        f"/rotas/shifts/{team.shift.public_id}/assign/", {"advisor": advisor.pk}, follow=True
    )
