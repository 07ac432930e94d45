"""The simulated evening's texts, by channel (issues 12 item 7, 16 item 4).

Tourists' text conversations arrive as a Poisson process of their own (their own random stream:
adding texts changes no caller's draws), on the same virtual clock and with the same locals as
the calls. Each arrival draws its channel: an SMS or a WhatsApp message through the signed
Messaging webhook (``whatsapp:`` addresses on the same webhook), or a web-chat visitor through
the chat's API exactly as the panel does it (a session, the proof of work solved here, the
message). One in ten asks for an affinity community in its first words ("we are hikers");
a share of the bench's locals are members of the evening's communities (:meth:`Texts.members`).
Locals answer by signed SMS (``#code words``) after a log-normal delay, then close with DONE.
The model is written down in docs/PERFORMANCE.md ("The model", texts).
"""

from __future__ import annotations

import json
import math
import random
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.conf import settings
from django.test import Client
from django.urls import reverse

from calls.countries import LANGUAGE_BY_COUNTRY
from calls.twilio.webhooks import sign
from calls.webchat.guard import proof_holds

if TYPE_CHECKING:
    from .evening import Model

FORM = "application/x-www-form-urlencoded"
# The evening's arrivals by hour (Paris time), as a share of the busiest hour's rate (20:00):
# calls and texts alike. 18:00-23:00 carries 3.8 peak hours, ~910 calls (a third of the day's
# 2,667). Other hours (a run starting earlier or ending later) at 0.4. A guess, like the rest.
PROFILE = {18: 0.55, 19: 0.8, 20: 1.0, 21: 0.85, 22: 0.6}


def evening_share(at: datetime) -> float:
    from .selector import NOW

    return PROFILE.get(at.astimezone(NOW.tzinfo).hour, 0.4)


def arrives(start: datetime, t: float, rng: random.Random) -> bool:
    """An arrival of the busiest hour's Poisson process kept at ``t`` seconds after ``start``
    (thinning by the hour's share: a Poisson process of that hour's rate). The peak hour draws
    nothing, so a one-hour run at 20:00 is the same as before the profile."""
    share = evening_share(start + timedelta(seconds=t))
    return share >= 1 or rng.random() < share


SMS, WHATSAPP, WEB = "sms", "whatsapp", "web"
CHANNELS = (SMS, WHATSAPP, WEB)
CHAT_KEY = "evening"
# The evening's communities and what a tourist who asks for one writes first (English phrases
# of calls.community_phrases, understood whatever the tourist's language).
COMMUNITY_TEXTS = {
    "hikers": "Hi! We are hikers: which trail near Nice for tomorrow?",
    "families": "Hello, we travel with kids: what can we do on a rainy day?",
    "food-lovers": "Hi, two food lovers here: where should we eat tonight?",
}
# What tourists text: some match the FAQ (trains, metro, taxis, pharmacies), most do not.
TEXTS = [
    ("Hi! Where can I eat good cheese in Lyon?", 3),
    ("Which train goes from Paris to Nice, and do I need to book?", 2),
    ("How do I buy metro tickets?", 2),
    ("Is there a pharmacy open tonight near the Louvre?", 1),
    ("How much is a taxi from the airport?", 1),
    ("Any tips for a quiet walk in Montmartre tomorrow?", 2),
    ("What is a good market on Sunday morning?", 2),
    ("We are in Marseille for two days, what should we not miss?", 2),
]


@dataclass
class Texter:
    n: int
    texted: float
    number: str  # the conversation's address: "+49…", "whatsapp:+49…" or "web:…"
    channel: str = SMS
    community: str = ""  # the community code asked for in the first text
    faq_first: bool = False  # an FAQ answer came back at once, before any local
    reply: float | None = None  # seconds from the first text to a local's first answer
    recognised: bool = False  # the conversation records the community asked for
    by_member: bool = False  # the first human reply came from a member of the community


def solve(challenge: str, bits: int) -> str:
    """The proof of work the panel computes before its first message."""
    nonce = 0
    while not proof_holds(challenge, str(nonce), bits=bits):
        nonce += 1
    return str(nonce)


class Texts:
    """The texts part of :class:`benchmarks.evening.Evening` (a mixin: the clock, the queue and
    the webhooks' client are the evening's)."""

    model: Model
    clock: float
    client: Client
    traveller: Any
    webhooks: int
    text_rng: random.Random
    texters: list[Texter]
    answering: set[tuple[int, datetime]]
    hours: float
    offsets: list[float]
    line_number: str
    start: datetime

    def at(self, t: float, action: Callable[[], None]) -> None:
        raise NotImplementedError

    def schedule_texts(self, countries: list[str], weights: list[float]) -> None:
        m = self.model
        texts = m.texts_per_hour / 3600
        n = 0
        for offset in self.offsets:  # each evening of the run
            t = offset + self.text_rng.expovariate(texts) if texts else math.inf
            while t < offset + self.hours * 3600:
                if not arrives(self.start, t, self.text_rng):
                    t += self.text_rng.expovariate(texts)
                    continue
                country = self.text_rng.choices(countries, weights)[0]
                channel = self.text_rng.choices(
                    CHANNELS, (1 - m.whatsapp_share - m.web_share, m.whatsapp_share, m.web_share)
                )[0]
                community = ""
                if self.text_rng.random() < m.community_share:
                    community = self.text_rng.choice(sorted(COMMUNITY_TEXTS))
                self.at(t, self.text_arrival(n, t, country, channel, community))
                n += 1
                t += self.text_rng.expovariate(texts)
            if texts:
                self.at(offset + m.sweep_every, self.sweep)

    def prepare_texts(self) -> None:
        """The line's web chat, and the evening's communities with their members."""
        from ambassadors.models import Ambassador, CommunityMembership, MembershipStatus
        from calls.models import PhoneLine, WebChat
        from concierge.models import Community

        line = PhoneLine.objects.get(number=self.line_number)
        WebChat.objects.filter(key=CHAT_KEY).delete()
        WebChat.objects.create(key=CHAT_KEY, name="Evening", line=line)
        communities = []
        for position, code in enumerate(sorted(COMMUNITY_TEXTS)):
            community, _ = Community.objects.update_or_create(
                code=code,
                defaults={"name": code.replace("-", " ").capitalize(), "position": position},
            )
            communities.append(community)
        CommunityMembership.objects.filter(community__in=communities).delete()
        rng = random.Random(self.text_rng.random())  # noqa: S311 - a reproducible simulation
        pks = sorted(Ambassador.objects.filter(is_active=True).values_list("pk", flat=True))
        chosen = rng.sample(pks, int(len(pks) * self.model.community_members))
        CommunityMembership.objects.bulk_create(
            CommunityMembership(
                ambassador_id=pk,
                community=rng.choice(communities),
                status=MembershipStatus.APPROVED,
            )
            for pk in chosen
        )

    # Arrivals.

    def text(self, number: str, body: str, *, to: str = "") -> None:
        sid = "SM" + uuid.UUID(int=self.text_rng.getrandbits(128)).hex
        self.traveller.move_to(self.start + timedelta(seconds=self.clock))
        params = {"MessageSid": sid, "From": number, "To": to or self.line_number, "Body": body}
        params["NumSegments"] = "1"
        if number.startswith("whatsapp:"):
            params |= {"NumMedia": "0", "WaId": number[10:], "MessageType": "text"}
        signature = sign(settings.PUBLIC_BASE_URL + "/calls/sms/incoming/", params)
        response = self.client.post(
            "/calls/sms/incoming/",
            urlencode(params),
            content_type=FORM,
            HTTP_X_TWILIO_SIGNATURE=signature,
        )
        assert response.status_code == 200, response.status_code
        self.webhooks += 1

    def chat(self, language: str, body: str) -> str:
        """A web-chat visitor's first message through the API; their address."""
        from calls.webchat.guard import pass_of

        self.traveller.move_to(self.start + timedelta(seconds=self.clock))
        response = self.client.post(
            reverse("webchat-session", args=[CHAT_KEY]),
            json.dumps({"language": language}),
            content_type="text/plain",
        )
        assert response.status_code == 201, response.status_code
        session = response.json()
        nonce = solve(session["challenge"], session["bits"])
        message = {"token": session["token"], "text": body, "id": "m1", "nonce": nonce}
        response = self.client.post(
            reverse("webchat-messages", args=[CHAT_KEY]),
            json.dumps(message),
            content_type="text/plain",
        )
        assert response.status_code == 201, (response.status_code, response.content)
        self.webhooks += 2
        visitor_pass = pass_of(session["token"], chat=CHAT_KEY)
        assert visitor_pass is not None
        return visitor_pass.address

    def text_arrival(
        self, n: int, t: float, country: str, channel: str, community: str
    ) -> Callable[[], None]:
        from .evening import caller_number

        def send() -> None:
            from calls.sms.faq import faq_answers

            bodies, weights = zip(*TEXTS, strict=True)
            body = COMMUNITY_TEXTS[community] if community else None
            body = body or self.text_rng.choices(bodies, weights)[0]
            number = caller_number(country, 50_000 + n)
            if channel == WEB:
                number = self.chat(LANGUAGE_BY_COUNTRY.get(country, "en"), body)
            elif channel == WHATSAPP:
                number = f"whatsapp:{number}"
                self.text(number, body, to=f"whatsapp:{self.line_number}")
            else:
                self.text(number, body)
            texter = Texter(n, t, number, channel=channel, community=community)
            conversation = self.conversation(number)
            if conversation is not None and conversation.faq_sent_at is not None:
                texter.faq_first = bool(faq_answers(language=conversation.language, text=body))
            self.texters.append(texter)
            self.answer_texts()

        return send

    def conversation(self, number: str) -> Any:
        from calls.models import Conversation

        return (
            Conversation.objects.filter(line__number=self.line_number, tourist_number=number)
            .order_by("opened_at")
            .first()
        )

    # Locals.

    def sweep(self) -> None:
        from calls.sms.sweep import conversations_sweep

        self.traveller.move_to(self.start + timedelta(seconds=self.clock))
        conversations_sweep(now=self.start + timedelta(seconds=self.clock))
        self.answer_texts()
        evening = max(o for o in self.offsets if o <= self.clock)  # then nothing until the next
        if self.clock < evening + self.hours * 3600 + self.model.drain:
            self.at(self.clock + self.model.sweep_every, self.sweep)

    def answer_texts(self) -> None:
        """Conversations newly given to a local: will they answer, and when?"""
        from calls.models import Conversation, ConversationStatus

        given = Conversation.objects.filter(
            line__number=self.line_number,
            status=ConversationStatus.OPEN,
            first_reply_at__isnull=True,
        ).values_list("pk", "assigned_at", "advisor_id")
        m = self.model
        for pk, assigned_at, advisor in given:
            if assigned_at is None or (pk, assigned_at) in self.answering:
                continue
            self.answering.add((pk, assigned_at))
            chance = m.advisor_text_reply if advisor else m.text_reply
            delay = self.text_rng.lognormvariate(math.log(m.text_reply_median), m.text_reply_sigma)
            if self.text_rng.random() < chance and delay < settings.SMS_ANSWER_MINUTES * 60:
                self.at(
                    self.clock + delay, self.local_writes(pk, assigned_at, "Hello! Happy to help.")
                )

    def local_writes(self, pk: int, assigned_at: datetime, words: str) -> Callable[[], None]:
        def write() -> None:
            from calls.models import Conversation, ConversationStatus

            conversation = (
                Conversation.objects.filter(
                    pk=pk, status=ConversationStatus.OPEN, assigned_at=assigned_at
                )
                .select_related("responder", "advisor")
                .first()
            )
            if conversation is None:  # passed on or closed meanwhile
                return
            local = conversation.advisor or conversation.responder
            assert local is not None
            self.text(str(local.phone_number), f"#{conversation.code} {words}")
            if words != "DONE":
                done = self.text_rng.lognormvariate(math.log(self.model.text_done_median), 0.6)
                self.at(self.clock + done, self.local_writes(pk, assigned_at, "DONE"))
            self.answer_texts()

        return write

    # Figures.

    def texts_result(self) -> list[Texter]:
        from ambassadors.models import CommunityMembership, MembershipStatus

        members = set(
            CommunityMembership.objects.filter(status=MembershipStatus.APPROVED).values_list(
                "community__code", "ambassador_id"
            )
        )
        for texter in self.texters:
            first = self.conversation(texter.number)
            if first is None:
                continue
            code = first.community.code if first.community_id else ""
            texter.recognised = bool(texter.community) and code == texter.community
            if first.first_reply_at is None:
                continue
            texter.reply = (first.first_reply_at - first.opened_at).total_seconds()
            if texter.community and first.responder_id and first.advisor_id is None:
                texter.by_member = (texter.community, first.responder_id) in members
        return self.texters


def print_texts(results: list[Any], model: Model) -> None:
    """The texts' table: per configuration and channel, then the community requests."""
    from .evening import percentile

    if not any(r.texters for r in results):
        return
    print(
        f"\nTexts: {model.texts_per_hour:.0f} new conversations an hour, the same evening "
        f"(WhatsApp {model.whatsapp_share:.0%}, web chat {model.web_share:.0%}, "
        f"a community asked for {model.community_share:.0%}).\n"
    )
    print(
        "| configuration | channel | conversations | a local answered "
        "| first human reply p50 s | p90 | instant FAQ answer first |"
    )
    print("| --- | --- |" + " ---: |" * 5)
    for r in results:
        for channel in (*CHANNELS, "all"):
            texters = [t for t in r.texters if channel in ("all", t.channel)]
            replies = [t.reply for t in texters if t.reply is not None]
            count = len(texters) or 1
            faq = sum(t.faq_first for t in texters)
            print(
                f"| {r.configuration.name} | {channel} | {len(texters)} "
                f"| {len(replies) / count:.0%} | {percentile(replies, 0.5):.0f} "
                f"| {percentile(replies, 0.9):.0f} | {faq} ({faq / count:.0%}) |"
            )
    for r in results:
        asked = [t for t in r.texters if t.community]
        answered = [t for t in asked if t.reply is not None]
        members = sum(t.by_member for t in asked)
        recognised = Counter(t.channel for t in asked if t.recognised)
        channels = Counter(t.channel for t in asked)
        print(
            f"\n- {r.configuration.name}, community requests: {len(asked)}, "
            f"{len(answered)} answered, {members} ({members / (len(asked) or 1):.0%}) by a "
            f"member of the community asked for; recognised by channel: "
            + ", ".join(f"{c} {recognised[c]}/{channels[c]}" for c in CHANNELS)
            + "."
        )
