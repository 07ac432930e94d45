"""Who may open what: every role against every page and action of the site, in one table.

Every URL pattern of the URLconf has a row (the admin site's patterns share one), so a new URL
without a row fails ``test_every_url_has_a_row``. A cell is the status that role gets; each
request runs in a savepoint rolled back afterwards, so an action one role performs (a slot
deleted, a shift assigned) never changes what the next role meets.

Where today's answer is wrong the cell holds the right one, wrapped in ``Hole(...)``: those cells
are checked by ``test_known_holes``, marked ``xfail(strict=True)``, which fails as soon as the fix
lands so that the mark is removed and the cell joins the table.

Anonymous visitors are sent to log in: 302 (to /accounts/login/, or /admin/login/ for the admin).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from ambassadors.models import (
    Ambassador,
    CommunityMembership,
    EntryKind,
    PointsEntry,
    Redemption,
    RedemptionStatus,
    Reward,
)
from calls.models import (
    Call,
    CallStatus,
    Conversation,
    ConversationStatus,
    Message,
    PhoneLine,
    Recording,
    WebChat,
)
from calls.voice.recordings import replay_token
from concierge.models import (
    Assignment,
    Closure,
    Invitation,
    Membership,
    Notice,
    NoticeKind,
    NoticePreferences,
    OfferStatus,
    Shift,
    ShiftOffer,
    Unavailability,
)

from .factories import every_day, make_ambassador, make_user
from .rotas.people import Team

NOW = datetime(2026, 6, 1, 9, tzinfo=UTC)
ROLES = (
    "anonymous",
    "ambassador_a",
    "ambassador_b",
    "advisor",
    "manager_a",
    "manager_b",
    "coordinator",
    "staff",
)


@dataclass(frozen=True)
class Hole:
    """The status a cell should have, where today's is wrong; ``why`` names the hole."""

    status: int
    why: str


class World:
    """Two ambassadors (A owns a slot, a call, a conversation, a reward request), an advisor, the
    managers of two offices and the coordinator of their network, and a staff member."""

    def __init__(self) -> None:
        self.team = Team()
        self.line = PhoneLine.objects.create(number="+33199000000", label="National")
        WebChat.objects.create(key="lyon", name="Lyon", line=self.line)
        self.a = make_ambassador("amb-a@example.com", name="Ava", slots=every_day())
        self.b = make_ambassador("amb-b@example.com", name="Ben", slots=every_day())
        self.staff = make_user("staff@example.com", is_staff=True, is_superuser=True)
        self.slot = self.a.availability_slots.get(weekday=0)
        self.reward = Reward.objects.create(name="A weekend in Annecy", price=10, stock=3)
        self.redemption = Redemption.objects.create(
            ambassador=self.a, reward=self.reward, price=self.reward.price
        )
        self.call = Call.objects.create(
            sid="CA" + "a" * 32,
            line=self.line,
            caller_number="+4915112345678",
            status=CallStatus.COMPLETED,
            responder=self.a,
            duration=120,
        )
        recording = Recording.objects.create(
            call=self.call, sid="RE" + "a" * 32, url="https://api.twilio.com/rec/RE1"
        )
        self.replay = replay_token(recording)
        self.conversation = Conversation.objects.create(
            line=self.line,
            tourist_number="+4915112345678",
            responder=self.a,
            status=ConversationStatus.OPEN,
            assigned_at=timezone.now(),
        )
        team = self.team
        shifts = list(Shift.objects.filter(network=team.network).order_by("starts_at")[:4])
        self.free_shift = shifts[0]
        self.assignment = Assignment.objects.create(shift=shifts[1], membership=team.advisor_a)
        self.offer = ShiftOffer.objects.create(  # B's shift, offered: A may take it
            assignment=Assignment.objects.create(shift=shifts[2], membership=team.advisor_b),
            offered_by=team.advisor_b,
            status=OfferStatus.OPEN,
        )
        self.handover = ShiftOffer.objects.create(  # A's shift, taken by B: to be approved
            assignment=Assignment.objects.create(shift=shifts[3], membership=team.advisor_a),
            offered_by=team.advisor_a,
            taken_by=team.advisor_b,
            status=OfferStatus.PENDING,
        )
        for ambassador in (self.a, self.b):
            PointsEntry.objects.create(
                ambassador=ambassador,
                amount=100,
                kind=EntryKind.ADJUSTMENT,
                reason="Welcome",
                key=f"welcome-{ambassador.pk}",
            )
        self.notice = Notice.objects.create(  # advisor A was put on a shift
            user=team.advisor_a.user,
            kind=NoticeKind.ASSIGNED,
            key="assigned:matrix",
            network=team.network,
            shift=shifts[1],
            actor=team.manager_a.user,
        )
        self.invitation = Invitation.objects.create(
            network=self.team.network,
            office=self.team.a,
            email="new-advisor@example.com",
            invited_by=self.team.manager_a.user,
        )

    def user(self, role: str):
        return {
            "ambassador_a": self.a.user,
            "ambassador_b": self.b.user,
            "advisor": self.team.advisor_a.user,
            "manager_a": self.team.manager_a.user,
            "manager_b": self.team.manager_b.user,
            "coordinator": self.team.coordinator.user,
            "staff": self.staff,
        }.get(role)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module, in a transaction rolled back at its end."""
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield World()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


Url = Callable[[World], str]


def at(path: str) -> Url:
    """A URL that does not depend on the world's objects."""
    return lambda w: path


Cell = int | str | Hole
LOGIN = "login"  # a 302 to a log-in page (the site's, or the admin's)
DONE = "done"  # the action took effect (whatever the status: a redirect, a 200, a 201…)


@dataclass(frozen=True)
class Row:
    url: Url
    cells: tuple[Cell, ...]
    data: Callable[[World], dict[str, str]] | dict[str, str] | None = None
    done: Callable[[World], bool] | None = None  # did the action take effect?


def url_patterns() -> dict[str, str]:
    """Every named URL pattern of the site (the admin's under "admin:*"), name → route."""
    found: dict[str, str] = {}

    def walk(patterns, prefix="", namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                name = "admin:*" if namespace == "admin:" else f"{namespace}{entry.name}"
                found[name] = prefix + str(entry.pattern)

    walk(get_resolver().url_patterns)
    return found


def fetch(client: Client, world: World, role: str, method: str, row: Row) -> Cell:
    """One cell: the role signs in, asks, and whatever the request changed is rolled back."""
    cache.clear()
    with transaction.atomic():
        user = world.user(role)
        if user is not None:
            client.force_login(user)
        url = row.url(world)
        if method == "GET":
            response = client.get(url)
        else:
            data = row.data(world) if callable(row.data) else row.data
            response = client.post(url, data or {})
        done = row.done is not None and row.done(world)
        transaction.set_rollback(True)
    client.logout()
    if done:
        return DONE
    location = response.get("Location", "")
    if response.status_code == 302 and location.startswith(("/accounts/login/", "/admin/login/")):
        return LOGIN
    return response.status_code


def month(w: World) -> str:
    return f"/rotas/{w.team.network.pk}/2026/6/"


NOT_A_VOLUNTEER = (
    "staff and office accounts get a volunteer profile by opening a volunteer page or the API "
    "(ambassador_for_user's get_or_create), not a 403 (DESIGN: nobody becomes a volunteer by "
    "visiting a page)"
)
PUBLIC_HOME = (
    "/ redirects everyone to the volunteer dashboard, so a visitor meets the log-in page; DESIGN: "
    "/ is the public home (the service, each line's number, live figures)"
)
# Staff and office accounts meet a page saying how to volunteer (a 403), and get no profile.
NV = 403


def EVERYONE(cell: Cell) -> tuple[Cell, ...]:
    return (cell,) * len(ROLES)


def SIGNED_IN(cell: Cell) -> tuple[Cell, ...]:
    return (cell,) * (len(ROLES) - 1)


ANONYMOUS_ONLY = (200, *SIGNED_IN(302))


def VOLUNTEERS(a: Cell, b: Cell) -> tuple[Cell, ...]:
    """A volunteer page: ambassadors A and B get ``a`` and ``b``, other accounts a 403."""
    return (LOGIN, a, b, NV, NV, NV, NV, NV)


def LOCALS(a: Cell, b: Cell, advisor: Cell) -> tuple[Cell, ...]:
    """A page of those who answer tourists: the volunteers, and the advisor for what they hold
    on duty; other accounts a 403 (they answer nobody)."""
    return (LOGIN, a, b, advisor, NV, NV, NV, NV)


def A_S(a: Cell, others: Cell = NV) -> tuple[Cell, ...]:
    """Ambassador A's own object: B gets a 404 (it is not theirs), the others ``others`` (not
    volunteers: the page saying how to become one)."""
    return (LOGIN, a, 404, others, others, others, others, others)


def API(a: Cell, b: Cell, advisor: Cell = NV) -> tuple[Cell, ...]:
    """The volunteers' API: no session nor token is a 401, other accounts a 403 (the advisor
    reads their calls and texts there too)."""
    return (401, a, b, advisor, NV, NV, NV, NV)


def STAFF_ONLY(cell: Cell) -> tuple[Cell, ...]:
    return (*(LOGIN,) * (len(ROLES) - 1), cell)


def ADVISOR_ONLY(cell: Cell) -> tuple[Cell, ...]:
    return (LOGIN, 404, 404, cell, 404, 404, 404, 404)


def MEMBERS(cell: Cell) -> tuple[Cell, ...]:
    """Anyone with a place in a network (advisor, managers, coordinator)."""
    return (LOGIN, 404, 404, cell, cell, cell, cell, 404)


def PLANNERS(cell: Cell) -> tuple[Cell, ...]:
    """The managers' and the coordinator's pages of their network."""
    return (LOGIN, 404, 404, 404, cell, cell, cell, 404)


CALL = "7d3a9e2c-5b1f-4c8e-9a6d-2f0b3c4d5e6f"


def office_a_closure(w: World) -> Closure:
    """Annecy closed on 10 June (made inside the cell's rolled-back transaction)."""
    closure, _new = Closure.objects.get_or_create(
        network=w.team.network, office=w.team.a, day=date(2026, 6, 10)
    )
    return closure


def closed(w: World) -> bool:
    return Conversation.objects.get(pk=w.conversation.pk).status == ConversationStatus.CLOSED


# (URL name, method) → the row. Pages are asked with GET, actions with POST (empty forms: what
# matters is who gets past the door, not whether the form is valid).
ROWS: dict[tuple[str, str], Row] = {
    ("home", "GET"): Row(lambda w: "/", (200, 302, 302, 302, 302, 302, 302, 302)),
    ("health", "GET"): Row(lambda w: "/health/", EVERYONE(200)),
    ("home-in", "GET"): Row(at("/de/"), EVERYONE(200)),
    ("embed-help", "GET"): Row(at("/embed/"), EVERYONE(200)),
    ("embed-line", "GET"): Row(at("/embed/line/33199000000/"), EVERYONE(200)),
    # The web chat: anonymous by design (a signed token, no login), the same for every role; an
    # empty form is no JSON (400) and a poll without a token is refused (401).
    ("webchat-widget", "GET"): Row(at("/chat/widget.js"), EVERYONE(200)),
    ("webchat-config", "GET"): Row(at("/chat/api/lyon/"), EVERYONE(200)),
    ("webchat-session", "POST"): Row(at("/chat/api/lyon/session/"), EVERYONE(400)),
    ("webchat-messages", "GET"): Row(at("/chat/api/lyon/messages/"), EVERYONE(401)),
    ("webchat-messages", "POST"): Row(at("/chat/api/lyon/messages/"), EVERYONE(400)),
    ("webchat-email", "POST"): Row(at("/chat/api/lyon/email/"), EVERYONE(400)),
    # The national line is every network's: its coordinator and managers print it, not advisors.
    ("posters", "GET"): Row(at("/posters/"), (LOGIN, 404, 404, 404, 200, 200, 200, 200)),
    ("poster", "GET"): Row(
        at("/posters/33199000000/a5/de/"), (LOGIN, 404, 404, 404, 200, 200, 200, 200)
    ),
    # Behind a bearer token, not a login: off (404) for every role while METRICS_TOKEN is unset.
    ("metrics", "GET"): Row(lambda w: "/metrics/", EVERYONE(404)),
    # Accounts (django-allauth).
    ("account_login", "GET"): Row(lambda w: "/accounts/login/", ANONYMOUS_ONLY),
    ("account_logout", "GET"): Row(lambda w: "/accounts/logout/", (302, *SIGNED_IN(200))),
    ("account_inactive", "GET"): Row(lambda w: "/accounts/inactive/", EVERYONE(200)),
    ("account_signup", "GET"): Row(lambda w: "/accounts/signup/", ANONYMOUS_ONLY),
    ("account_reauthenticate", "GET"): Row(
        lambda w: "/accounts/reauthenticate/", (LOGIN, *SIGNED_IN(200))
    ),
    ("account_email", "GET"): Row(lambda w: "/accounts/email/", (LOGIN, *SIGNED_IN(200))),
    ("account_email_verification_sent", "GET"): Row(
        lambda w: "/accounts/confirm-email/", EVERYONE(200)
    ),
    ("account_change_password", "GET"): Row(
        lambda w: "/accounts/password/change/", (LOGIN, *SIGNED_IN(200))
    ),
    ("account_set_password", "GET"): Row(
        lambda w: "/accounts/password/set/", (LOGIN, *SIGNED_IN(302))
    ),
    ("account_reset_password", "GET"): Row(lambda w: "/accounts/password/reset/", EVERYONE(200)),
    ("account_confirm_login_code", "GET"): Row(
        lambda w: "/accounts/login/code/confirm/", (LOGIN, *SIGNED_IN(302))
    ),
    ("account_confirm_email", "GET"): Row(
        lambda w: "/accounts/confirm-email/not-a-key/", EVERYONE(200)
    ),
    ("account_reset_password_from_key_done", "GET"): Row(
        lambda w: "/accounts/password/reset/key/done/", EVERYONE(200)
    ),
    ("account_reset_password_from_key", "GET"): Row(
        lambda w: "/accounts/password/reset/key/1-not-a-key/", EVERYONE(200)
    ),
    ("account_reset_password_done", "GET"): Row(
        lambda w: "/accounts/password/reset/done/", EVERYONE(200)
    ),
    ("set_language", "POST"): Row(lambda w: "/i18n/setlang/", EVERYONE(302), {"language": "fr"}),
    # The volunteers' portal.
    ("ambassadors:dashboard", "GET"): Row(lambda w: "/portal/", VOLUNTEERS(200, 200)),
    ("ambassadors:onboarding", "GET"): Row(lambda w: "/portal/onboarding/", VOLUNTEERS(302, 302)),
    ("ambassadors:onboarding-profile", "GET"): Row(
        lambda w: "/portal/onboarding/profile/", VOLUNTEERS(200, 200)
    ),
    ("ambassadors:onboarding-phone", "GET"): Row(
        lambda w: "/portal/onboarding/phone/", VOLUNTEERS(200, 200)
    ),
    ("ambassadors:onboarding-phone-confirm", "GET"): Row(
        lambda w: "/portal/onboarding/phone/confirm/", VOLUNTEERS(200, 200)
    ),
    ("ambassadors:onboarding-preferences", "GET"): Row(
        lambda w: "/portal/onboarding/preferences/", VOLUNTEERS(200, 200)
    ),
    ("ambassadors:onboarding-availability", "GET"): Row(
        lambda w: "/portal/onboarding/availability/", VOLUNTEERS(200, 200)
    ),
    ("ambassadors:profile", "GET"): Row(lambda w: "/portal/profile/", VOLUNTEERS(200, 200)),
    ("ambassadors:phone", "GET"): Row(lambda w: "/portal/phone/", VOLUNTEERS(200, 200)),
    ("ambassadors:phone-confirm", "GET"): Row(
        lambda w: "/portal/phone/confirm/", VOLUNTEERS(200, 200)
    ),
    ("ambassadors:preferences", "GET"): Row(lambda w: "/portal/preferences/", VOLUNTEERS(200, 200)),
    ("ambassadors:availability", "GET"): Row(
        lambda w: "/portal/availability/", VOLUNTEERS(200, 200)
    ),
    ("ambassadors:slot-edit", "GET"): Row(
        lambda w: f"/portal/availability/slots/{w.slot.public_id}/edit/", A_S(200)
    ),
    ("ambassadors:slot-edit", "POST"): Row(
        lambda w: f"/portal/availability/slots/{w.slot.public_id}/edit/",
        A_S(DONE),
        {"weekday": "0", "start": "08:00", "end": "09:00"},
        done=lambda w: w.a.availability_slots.filter(pk=w.slot.pk, start=time(8)).exists(),
    ),
    ("ambassadors:slot-delete", "POST"): Row(
        lambda w: f"/portal/availability/slots/{w.slot.public_id}/delete/",
        A_S(DONE),
        done=lambda w: not w.a.availability_slots.filter(pk=w.slot.pk).exists(),
    ),
    ("ambassadors:switch", "POST"): Row(
        lambda w: "/portal/availability/switch/",
        VOLUNTEERS(DONE, DONE),
        {"accepting": "off"},
        done=lambda w: Ambassador.objects.filter(accepting_calls=False).exists(),
    ),
    ("ambassadors:pause", "POST"): Row(
        lambda w: "/portal/availability/pause/",
        VOLUNTEERS(DONE, DONE),
        {"until": "2026-07-01"},
        done=lambda w: Ambassador.objects.filter(paused_until__isnull=False).exists(),
    ),
    ("ambassadors:unpause", "POST"): Row(
        lambda w: "/portal/availability/unpause/", VOLUNTEERS(302, 302)
    ),
    ("ambassadors:points", "GET"): Row(lambda w: "/portal/points/", VOLUNTEERS(200, 200)),
    ("ambassadors:rewards", "GET"): Row(lambda w: "/portal/rewards/", VOLUNTEERS(200, 200)),
    ("ambassadors:communities", "GET"): Row(lambda w: "/portal/communities/", VOLUNTEERS(200, 200)),
    ("ambassadors:communities", "POST"): Row(
        lambda w: "/portal/communities/",
        VOLUNTEERS(DONE, DONE),
        {"code": "food-lovers", "action": "join"},
        done=lambda w: CommunityMembership.objects.exists(),
    ),
    # Public: counts only, never who the members are.
    ("communities", "GET"): Row(lambda w: "/communities/", EVERYONE(200)),
    ("community", "GET"): Row(lambda w: "/communities/wine/", EVERYONE(200)),
    ("ambassadors:reward-request", "POST"): Row(
        lambda w: f"/portal/rewards/{w.reward.public_id}/request/",
        VOLUNTEERS(DONE, DONE),
        done=lambda w: Redemption.objects.count() > 1,
    ),
    ("ambassadors:redemptions", "GET"): Row(
        lambda w: "/portal/rewards/requests/", VOLUNTEERS(200, 200)
    ),
    ("ambassadors:redemption-review", "GET"): Row(
        lambda w: "/portal/rewards/review/", STAFF_ONLY(200)
    ),
    ("ambassadors:redemption-decide", "POST"): Row(
        lambda w: f"/portal/rewards/review/{w.redemption.public_id}/",
        STAFF_ONLY(DONE),
        {"decision": "approve"},
        done=lambda w: (
            Redemption.objects.get(pk=w.redemption.pk).status != RedemptionStatus.REQUESTED
        ),
    ),
    ("ambassadors:points-adjust", "GET"): Row(lambda w: "/portal/points/adjust/", STAFF_ONLY(200)),
    ("ambassadors:points-adjust", "POST"): Row(
        lambda w: "/portal/points/adjust/",
        STAFF_ONLY(DONE),
        {
            "email": "amb-b@example.com",
            "amount": "25",
            "reason": "A call lost in an outage",
            "key": "6f1c1f7e-0b8a-4f5e-9a57-2f1c3b9d8e01",
        },
        done=lambda w: PointsEntry.objects.filter(
            ambassador=w.b, kind=EntryKind.ADJUSTMENT, amount=25
        ).exists(),
    ),
    ("ambassadors:privacy", "GET"): Row(lambda w: "/portal/privacy/", VOLUNTEERS(200, 200)),
    ("ambassadors:privacy-export", "GET"): Row(
        lambda w: "/portal/privacy/export/", VOLUNTEERS(200, 200)
    ),
    ("ambassadors:privacy-delete", "GET"): Row(
        lambda w: "/portal/privacy/delete/", VOLUNTEERS(200, 200)
    ),
    # Calls and texts: the staff's tools and the locals' pages.
    ("calls:outbox", "GET"): Row(lambda w: "/calls/outbox/", STAFF_ONLY(200)),
    ("calls:simulator", "GET"): Row(
        lambda w: "/calls/simulator/", (LOGIN, LOGIN, LOGIN, LOGIN, 200, 200, 200, 200)
    ),
    ("calls:simulator-sms", "GET"): Row(
        lambda w: "/calls/simulator/sms/", (LOGIN, LOGIN, LOGIN, LOGIN, 200, 200, 200, 200)
    ),
    ("calls:staff-search", "GET"): Row(
        lambda w: f"/calls/staff/search/?q={w.call.reference}", STAFF_ONLY(200)
    ),
    ("calls:staff-export", "GET"): Row(
        lambda w: "/calls/staff/export/?kind=calls&start=2026-06-01&end=2026-06-30",
        STAFF_ONLY(200),
    ),
    ("calls:history", "GET"): Row(lambda w: "/calls/history/", LOCALS(200, 200, 200)),
    # The line in figures: staff (every line), a network's coordinator and office managers (its
    # lines and regions); volunteers and advisors are refused (another network: a 404, tested in
    # tests/calls/test_figures_dashboard.py).
    ("calls:figures", "GET"): Row(
        lambda w: "/calls/figures/", (LOGIN, 403, 403, 403, 200, 200, 200, 200)
    ),
    ("calls:figures-export", "GET"): Row(
        lambda w: "/calls/figures/summary.csv", (LOGIN, 403, 403, 403, 200, 200, 200, 200)
    ),
    ("calls:report", "GET"): Row(
        lambda w: f"/calls/history/{w.call.public_id}/report/", A_S(200, others=NV)
    ),
    ("calls:conversations", "GET"): Row(lambda w: "/calls/conversations/", LOCALS(200, 200, 200)),
    # A's conversation: the advisor answers tourists too, but this one is not theirs.
    ("calls:conversation", "GET"): Row(
        lambda w: f"/calls/conversations/{w.conversation.public_id}/", LOCALS(200, 404, 404)
    ),
    ("calls:conversation-end", "POST"): Row(
        lambda w: f"/calls/conversations/{w.conversation.public_id}/end/",
        LOCALS(DONE, 404, 404),
        done=closed,
    ),
    ("calls:replay", "GET"): Row(lambda w: f"/calls/replay/{w.replay}/", EVERYONE(200)),
    ("calls:replay-audio", "GET"): Row(lambda w: f"/calls/replay/{w.replay}/audio/", EVERYONE(200)),
    # Each role's home: /home/ sends everyone to theirs; a switch to a role one lacks is refused
    # with a message (a redirect too).
    ("homes:home", "GET"): Row(lambda w: "/home/", (LOGIN, *SIGNED_IN(302))),
    ("homes:switch", "POST"): Row(
        lambda w: "/home/role/", (LOGIN, *SIGNED_IN(302)), {"role": "advisor"}
    ),
    ("homes:evening", "GET"): Row(lambda w: "/office/evening/", ADVISOR_ONLY(200)),
    ("homes:evening-name", "POST"): Row(
        lambda w: "/office/evening/name/", ADVISOR_ONLY(302), {"first_name": "Ana"}
    ),
    ("homes:tonight", "GET"): Row(lambda w: "/office/tonight/", PLANNERS(200)),
    ("homes:operations", "GET"): Row(lambda w: "/staff/", STAFF_ONLY(200)),
    # The shared rotas.
    ("rotas:home", "GET"): Row(lambda w: "/rotas/", (LOGIN, 404, 404, 302, 302, 302, 302, 404)),
    ("rotas:mine", "GET"): Row(lambda w: "/rotas/me/", ADVISOR_ONLY(200)),
    ("rotas:mine-phone-send", "POST"): Row(
        lambda w: "/rotas/me/phone/send/", ADVISOR_ONLY(302), {"phone_number": "+33612349999"}
    ),
    ("rotas:mine-phone-confirm", "POST"): Row(
        lambda w: "/rotas/me/phone/confirm/", ADVISOR_ONLY(302), {"code": "000000"}
    ),
    ("rotas:mine-away", "POST"): Row(
        lambda w: "/rotas/me/away/",
        ADVISOR_ONLY(DONE),
        {"day": "2026-06-02"},
        done=lambda w: Unavailability.objects.exists(),
    ),
    ("rotas:mine-back", "POST"): Row(
        lambda w: "/rotas/me/back/", ADVISOR_ONLY(302), {"day": "2026-06-02"}
    ),
    ("rotas:mine-feed-renew", "POST"): Row(
        lambda w: "/rotas/me/calendar/renew/",
        ADVISOR_ONLY(DONE),
        done=lambda w: (
            not Membership.objects.filter(calendar_token=w.team.advisor_a.calendar_token).exists()
        ),
    ),
    ("rotas:feed", "GET"): Row(
        lambda w: f"/rotas/calendar/{w.team.advisor_a.calendar_token}.ics", EVERYONE(200)
    ),
    ("rotas:notices", "GET"): Row(at("/rotas/notices/"), MEMBERS(200)),
    ("rotas:notices-read-all", "POST"): Row(
        at("/rotas/notices/read/"),
        (LOGIN, 404, 404, DONE, 302, 302, 302, 404),
        done=lambda w: Notice.objects.filter(pk=w.notice.pk, read_at__isnull=False).exists(),
    ),
    ("rotas:notice-preferences", "GET"): Row(at("/rotas/notices/preferences/"), MEMBERS(200)),
    ("rotas:notice-preferences", "POST"): Row(
        at("/rotas/notices/preferences/"),
        MEMBERS(DONE),
        {"language": "en"},
        done=lambda w: NoticePreferences.objects.exists(),
    ),
    ("rotas:notice", "GET"): Row(
        lambda w: f"/rotas/notices/{w.notice.public_id}/",
        (LOGIN, 404, 404, DONE, 404, 404, 404, 404),
        done=lambda w: Notice.objects.filter(pk=w.notice.pk, read_at__isnull=False).exists(),
    ),
    ("rotas:notice-read", "POST"): Row(
        lambda w: f"/rotas/notices/{w.notice.public_id}/read/",
        ADVISOR_ONLY(DONE),
        done=lambda w: Notice.objects.filter(pk=w.notice.pk, read_at__isnull=False).exists(),
    ),
    ("rotas:export", "GET"): Row(lambda w: month(w) + "export.csv", PLANNERS(200)),
    ("rotas:fill", "GET"): Row(lambda w: month(w) + "fill/", PLANNERS(200)),
    ("rotas:invite", "GET"): Row(lambda w: f"/rotas/{w.team.network.pk}/invite/", PLANNERS(200)),
    ("rotas:invitation", "GET"): Row(
        lambda w: f"/rotas/invitations/{w.invitation.token}/", EVERYONE(200)
    ),
    ("rotas:offer", "POST"): Row(
        lambda w: f"/rotas/assignments/{w.assignment.pk}/offer/",
        ADVISOR_ONLY(DONE),
        done=lambda w: ShiftOffer.objects.filter(assignment=w.assignment).exists(),
    ),
    ("rotas:take", "POST"): Row(
        lambda w: f"/rotas/offers/{w.offer.public_id}/take/",
        ADVISOR_ONLY(DONE),
        done=lambda w: ShiftOffer.objects.get(pk=w.offer.pk).status != OfferStatus.OPEN,
    ),
    ("rotas:decide", "POST"): Row(
        lambda w: f"/rotas/offers/{w.handover.public_id}/decide/",
        (LOGIN, 404, 404, 302, 302, 302, DONE, 404),
        {"decision": "approve"},
        done=lambda w: ShiftOffer.objects.get(pk=w.handover.pk).status == OfferStatus.DONE,
    ),
    ("rotas:month", "GET"): Row(month, (LOGIN, 404, 404, 200, 200, 200, 200, 404)),
    ("rotas:closure-add", "POST"): Row(
        lambda w: f"/rotas/{w.team.network.pk}/closures/",
        (LOGIN, 404, 404, 404, DONE, 302, DONE, 404),
        lambda w: {"day": "2026-06-10", "office": str(w.team.a.pk)},
        done=lambda w: Closure.objects.exists(),
    ),
    ("rotas:closure-remove", "POST"): Row(
        lambda w: f"/rotas/closures/{office_a_closure(w).pk}/withdraw/",
        (LOGIN, 404, 404, 404, DONE, 302, DONE, 404),
        done=lambda w: not Closure.objects.exists(),
    ),
    ("rotas:assign", "POST"): Row(
        lambda w: f"/rotas/shifts/{w.free_shift.public_id}/assign/",
        (LOGIN, 404, 404, 302, DONE, 302, DONE, 404),
        lambda w: {"advisor": str(w.team.advisor_a.pk)},
        done=lambda w: Assignment.objects.filter(shift=w.free_shift).exists(),
    ),
    ("rotas:unassign", "POST"): Row(
        lambda w: f"/rotas/shifts/{w.assignment.shift.public_id}/unassign/{w.team.advisor_a.pk}/",
        (LOGIN, 404, 404, 302, DONE, 302, DONE, 404),
        done=lambda w: not Assignment.objects.filter(pk=w.assignment.pk).exists(),
    ),
    # The mobile API (the session signs the roles in, as it does the browsable docs).
    ("api-token", "POST"): Row(lambda w: "/api/v1/auth/token/", EVERYONE(400)),
    ("api-me", "GET"): Row(lambda w: "/api/v1/me/", API(200, 200)),
    ("api-phone-verification", "POST"): Row(
        lambda w: "/api/v1/me/phone/verification/", API(202, 202), {"phone_number": "+33612349999"}
    ),
    ("api-phone-verification-confirm", "POST"): Row(
        lambda w: "/api/v1/me/phone/verification/confirm/", API(400, 400), {"code": "000000"}
    ),
    ("api-slots", "GET"): Row(lambda w: "/api/v1/me/availability/", API(200, 200)),
    ("api-slot", "GET"): Row(
        lambda w: f"/api/v1/me/availability/{w.slot.public_id}/", API(200, 404)
    ),
    ("api-pause", "POST"): Row(
        lambda w: "/api/v1/me/pause/",
        API(DONE, DONE),
        {"until": "2026-07-01"},
        done=lambda w: Ambassador.objects.filter(paused_until__isnull=False).exists(),
    ),
    ("api-points", "GET"): Row(lambda w: "/api/v1/me/points/", API(200, 200)),
    ("api-redemptions", "GET"): Row(lambda w: "/api/v1/me/redemptions/", API(200, 200)),
    # The catalogue of rewards reads no profile: any signed-in account may see it.
    ("api-rewards", "GET"): Row(lambda w: "/api/v1/rewards/", (401, *SIGNED_IN(200))),
    ("api-calls", "GET"): Row(lambda w: "/api/v1/me/calls/", API(200, 200, 200)),
    ("api-conversations", "GET"): Row(lambda w: "/api/v1/me/conversations/", API(200, 200, 200)),
    # Region and topic names to choose from read no profile either.
    ("api-choices", "GET"): Row(lambda w: "/api/v1/choices/", (401, *SIGNED_IN(200))),
    ("api-communities", "GET"): Row(lambda w: "/api/v1/communities/", API(200, 200)),
    ("api-my-communities", "POST"): Row(
        lambda w: "/api/v1/me/communities/",
        API(DONE, DONE),
        {"code": "hikers"},
        done=lambda w: CommunityMembership.objects.exists(),
    ),
    # Only DELETE: a POST is refused whoever asks (the DELETE itself is in the API's tests).
    ("api-my-community", "POST"): Row(
        lambda w: "/api/v1/me/communities/hikers/", (401, *SIGNED_IN(405))
    ),
    ("api-impact", "GET"): Row(lambda w: "/api/v1/me/impact/", API(200, 200)),
    ("api-conversation", "GET"): Row(
        lambda w: f"/api/v1/me/conversations/{w.conversation.public_id}/", API(200, 404, 404)
    ),
    ("api-conversation-reply", "POST"): Row(
        lambda w: f"/api/v1/me/conversations/{w.conversation.public_id}/messages/",
        API(DONE, 404, 404),
        {"text": "Hello"},
        done=lambda w: Message.objects.filter(conversation=w.conversation).exists(),
    ),
    ("api-conversation-end", "POST"): Row(
        lambda w: f"/api/v1/me/conversations/{w.conversation.public_id}/end/",
        API(DONE, 404, 404),
        done=closed,
    ),
    # Twilio's webhooks: nobody's session gets past the signature check.
    **{
        (f"calls:{name}", "POST"): Row(at(path), EVERYONE(403))
        for name, path in [
            ("voice-incoming", "/calls/voice/incoming/"),
            ("voice-status", "/calls/voice/status/"),
            ("sms-incoming", "/calls/sms/incoming/"),
            ("sms-status", "/calls/sms/status/"),
            ("voice-recording", "/calls/voice/recording/"),
            ("voice-menu", f"/calls/voice/{CALL}/menu/motive/"),
            ("voice-connect", f"/calls/voice/{CALL}/connect/"),
            ("voice-queue-wait", f"/calls/voice/{CALL}/queue/wait/"),
            ("voice-queue-done", f"/calls/voice/{CALL}/queue/done/"),
            ("voice-callback", f"/calls/voice/{CALL}/callback/"),
            ("voice-dial-done", f"/calls/voice/{CALL}/dial/1/done/"),
            ("voice-whisper", f"/calls/voice/{CALL}/dial/1/whisper/"),
            ("voice-leg-status", f"/calls/voice/{CALL}/dial/1/leg/"),
            ("voice-whisper-answer", f"/calls/voice/{CALL}/dial/1/whisper/answer/"),
        ]
    },
    # Becoming a volunteer is an explicit step for staff and office accounts.
    ("ambassadors:volunteer", "GET"): Row(
        lambda w: "/portal/volunteer/", (LOGIN, 302, 302, 200, 200, 200, 200, 200)
    ),
    ("ambassadors:volunteer", "POST"): Row(
        lambda w: "/portal/volunteer/", (LOGIN, *SIGNED_IN(302))
    ),
    ("api-schema", "GET"): Row(lambda w: "/api/schema/", EVERYONE(200)),
    ("api-docs", "GET"): Row(lambda w: "/api/docs/", EVERYONE(200)),
    ("admin:*", "GET"): Row(lambda w: "/admin/", STAFF_ONLY(200)),
}


def row_id(key: tuple[str, str]) -> str:
    return f"{key[0]} {key[1]}"


def test_every_url_has_a_row():
    missing = set(url_patterns()) - {name for name, _method in ROWS}
    assert not missing, f"URL patterns without a row in the permission matrix: {sorted(missing)}"


@pytest.mark.parametrize("key", ROWS, ids=row_id)
def test_who_gets_what(client, world, db, key):
    name, method = key
    row = ROWS[key]
    assert len(row.cells) == len(ROLES)
    wrong = {}
    with time_machine.travel(NOW, tick=False):
        for role, expected in zip(ROLES, row.cells, strict=True):
            if isinstance(expected, Hole):
                continue
            got = fetch(client, world, role, method, row)
            if got != expected:
                wrong[role] = (got, expected)
    assert not wrong, f"{name} {method}: role → (got, expected) {wrong}"


HOLES = [
    pytest.param(
        key,
        marks=pytest.mark.xfail(
            strict=True, reason="; ".join(sorted({c.why for c in row.cells if isinstance(c, Hole)}))
        ),
        id=row_id(key),
    )
    for key, row in ROWS.items()
    if any(isinstance(cell, Hole) for cell in row.cells)
]


@pytest.mark.parametrize("key", HOLES)
def test_known_holes(client, world, db, key):
    """The cells that are wrong today: each xfail flips (and fails, being strict) once fixed."""
    name, method = key
    row = ROWS[key]
    wrong = {}
    with time_machine.travel(NOW, tick=False):
        for role, expected in zip(ROLES, row.cells, strict=True):
            if isinstance(expected, Hole):
                got = fetch(client, world, role, method, row)
                if got != expected.status:
                    wrong[role] = got
    assert not wrong, f"{name} {method}: still {wrong}"


def test_every_admin_list_is_for_staff_only(client, world, db):
    """The admin site's patterns share a row; here every model's list is checked too (a model
    kept as a single row, like the points rules, redirects staff to its one page: 302)."""
    from django.contrib import admin

    lists = [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]
    with time_machine.travel(NOW, tick=False):
        for url in lists:
            row = Row(at(url), ())
            got = [fetch(client, world, role, "GET", row) for role in ROLES]
            assert got[:-1] == [LOGIN] * (len(ROLES) - 1), (url, got)
            assert got[-1] in (200, 302), (url, got)


def test_every_figures_table_has_the_dashboards_door(client, world, db):
    """The summary's row stands for every table's CSV (communities, texts by channel…): each is
    checked here, so a table added later cannot open to volunteers or advisors."""
    from calls.figures.tables import BUILDERS

    expected = list(ROWS[("calls:figures-export", "GET")].cells)
    with time_machine.travel(NOW, tick=False):
        for table in (build.__name__ for build in BUILDERS):
            row = Row(at(f"/calls/figures/{table}.csv"), ())
            got = [fetch(client, world, role, "GET", row) for role in ROLES]
            assert got == expected, (table, got)
