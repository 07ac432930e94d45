"""Demo tourist offices for ``manage.py seed_demo``: three Île-de-France offices sharing an
evening and weekend rota, this month's and next month's shifts, a few of them still uncovered."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol

from django.utils import timezone
from django.utils.translation import gettext as _

from . import rotas
from .management.commands.seed_demo import demo_password_hash, demo_user
from .models import (
    Assignment,
    Membership,
    OfficeNetwork,
    OnHolidays,
    Region,
    Role,
    RotaRule,
    TouristOffice,
)


class Writer(Protocol):
    def write(self, msg: str) -> object: ...


NETWORK = "Île-de-France evenings and weekends"
OFFICES = ["Paris", "Versailles", "Fontainebleau"]
ADVISORS_PER_OFFICE = 3
# ambassador NN has +33 6 12 34 00 NN; advisor NN has +33 6 12 34 01 NN (fiction too).
ADVISOR_PHONE = "+336123401{:02d}"
# Real first names: tourists are told who they are in touch with ("you are in touch with Chloé").
MANAGER_NAMES = ["Mathilde", "Nicolas", "Odile"]
ADVISOR_NAMES = [
    "Amélie",
    "Bastien",
    "Chloé",
    "Damien",
    "Élodie",
    "Fabien",
    "Gaëlle",
    "Hugo",
    "Inès",
]
GAP_EVERY = 9  # every ninth shift keeps an empty seat, for the planner to show


def seed(*, stdout: Writer) -> list[tuple[str, str]]:
    password_hash = demo_password_hash()
    network, _created = OfficeNetwork.objects.get_or_create(name=NETWORK)
    network.regions.set(Region.objects.filter(code="ile-de-france"))
    logins = []
    coordinator = demo_user(
        "coordinator@example.com", password_hash=password_hash, first_name="Claire"
    )
    Membership.objects.get_or_create(user=coordinator, network=network, role=Role.COORDINATOR)
    logins.append(("coordinator@example.com", _("network coordinator")))
    advisors: list[Membership] = []
    for index, name in enumerate(OFFICES):
        office, _created = TouristOffice.objects.get_or_create(name=name, network=network)
        office.regions.set(Region.objects.filter(code="ile-de-france"))
        email = "manager@example.com" if index == 0 else f"manager{index + 1}@example.com"
        manager = demo_user(
            email, password_hash=password_hash, first_name=MANAGER_NAMES[index % len(MANAGER_NAMES)]
        )
        Membership.objects.get_or_create(
            user=manager, network=network, role=Role.MANAGER, defaults={"office": office}
        )
        logins.append((email, _("manager of the %(office)s office") % {"office": name}))
        for seat in range(ADVISORS_PER_OFFICE):
            number = index * ADVISORS_PER_OFFICE + seat + 1
            email = "advisor@example.com" if number == 1 else f"advisor{number}@example.com"
            first_name = ADVISOR_NAMES[(number - 1) % len(ADVISOR_NAMES)]
            user = demo_user(email, password_hash=password_hash, first_name=first_name)
            advisor, _created = Membership.objects.update_or_create(
                user=user,
                network=network,
                role=Role.ADVISOR,
                defaults={
                    "office": office,
                    "phone_number": ADVISOR_PHONE.format(number),
                    "phone_verified_at": datetime(2026, 1, 1, tzinfo=UTC),
                },
            )
            advisors.append(advisor)
            if number == 1:
                logins.append((email, _("advisor at the %(office)s office") % {"office": name}))
    _rules(network)
    shifts = _shifts(network)
    _assign(shifts, advisors)
    stdout.write(
        f"Tourist offices: {', '.join(OFFICES)} share a rota of {len(shifts)} shifts "
        f"(this month and next).\n"
    )
    return logins


# Rules a French office could sign: no shift over 10 h in a day, 11 h of rest between two
# (Friday 22:00 to Saturday 10:00 is 12 h), so the demo's own rota breaks no limit.
# Public holidays are covered like a weekend.
RULES = [
    ("Weekday evenings", "MO,TU,WE,TH,FR", time(18), time(22), OnHolidays.SKIP),
    ("Weekend days", "SA,SU", time(10), time(16), OnHolidays.ADD),
    ("Weekend evenings", "SA,SU", time(16), time(22), OnHolidays.ADD),
]


def _rules(network: OfficeNetwork) -> None:
    # The first demos had one 12-hour weekend shift: its rule and shifts give way to the split.
    old = network.rules.exclude(name__in=[name for name, *_rest in RULES])
    network.shifts.filter(rule__in=old).delete()
    old.delete()
    for name, days, start, end, on_holidays in RULES:
        RotaRule.objects.update_or_create(
            network=network,
            name=name,
            defaults={
                "weekdays": days,
                "start_time": start,
                "end_time": end,
                "advisors_needed": 2,
                "starts_on": date(2026, 1, 1),
                "on_holidays": on_holidays,
            },
        )


def _shifts(network: OfficeNetwork) -> list:
    first = timezone.localdate().replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    last = (next_month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    rotas.rota_expand(network=network, start=first, end=last)
    since = datetime.combine(first, time(), tzinfo=rotas.destination_tz())
    return list(network.shifts.filter(starts_at__gte=since).order_by("starts_at"))


def _assign(shifts: list, advisors: list[Membership]) -> None:
    """Fill the seats in turn, the same way on every run, leaving a few gaps."""
    turn = 0
    for position, shift in enumerate(shifts):
        seats = shift.advisors_needed - (1 if position % GAP_EVERY == GAP_EVERY - 1 else 0)
        for _seat in range(seats):
            Assignment.objects.get_or_create(shift=shift, membership=advisors[turn % len(advisors)])
            turn += 1
