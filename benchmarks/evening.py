"""The simulated evening: time to a human (issue 12, item 1).

A seeded discrete-event simulation. Tourists' calls arrive as a Poisson process at the peak-hour
rate; each is driven through the real, signed webhooks by the engine that plays Twilio's part
(:class:`calls.simulator.engine.Phone`), on a virtual clock: an event queue in simulated seconds,
Django's ``now`` set to each event's instant (time-machine) before its webhooks are posted, so
availability, shifts and the routing's own database state (who is ringing or talking) are right,
and calls overlap as they would. Callers listen to prompts (150 words a minute), press keys with
a delay or barge in, or let the menu time out; locals answer with a probability and a delay,
decline, let voicemail pick up, are busy or let it ring; callers give up after a patience drawn
from a distribution. The model is written down in docs/PERFORMANCE.md ("The simulated evening").

Configurations are named variants of the same run (same seed, same callers, same locals):
``today``, the full menu with locals rung one at a time; ``short``, the short path one at a time;
``new``, the line's defaults (the short path and a ring group); and, on request, ``groupN``.
A ring group's phones each draw their local's behaviour (:meth:`Evening.ring`).
"""

from __future__ import annotations

import functools
import heapq
import itertools
import logging
import math
import random
import time
import uuid
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import phonenumbers
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings

from calls.countries import country_of, guess_language
from calls.models import Call, CallAttempt, PhoneLine
from calls.simulator.engine import Phone
from calls.twilio.webhooks import sign
from calls.voice.places import ANY, MOTIVES, REGIONS

from .evening_texts import Texter, Texts, arrives, print_texts
from .evening_week import DAY, Week, WeekResult, print_week
from .selector import NOW

START = NOW.replace(day=NOW.day + 1, hour=20)  # Tuesday 20:00, Paris: the busy evening hour
EVENING = START.replace(hour=18)  # a run longer than an hour: the evening from 18:00


def evening_start(hours: float, evenings: int = 1) -> datetime:
    """One hour is the busiest (20:00, as the tables before the evening profile); longer runs
    are an evening from 18:00, arrivals following evening_texts.PROFILE. A week of evenings
    begins on the Monday before (one evening alone stays Tuesday's)."""
    start = START if hours <= 1 else EVENING
    return start - timedelta(days=1) if evenings > 1 else start


FORM = "application/x-www-form-urlencoded"
LINE_NUMBER = "+33199000001"
FREE_ENOUGH = 20  # issue 12: ≥ 97% reach a human while at least this many locals are free
UNLIMITED = dict.fromkeys(("start_ip", "write_ip", "write_token", "poll_token"), (10**9, 60))


# --- The model -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Model:
    """Every assumption of the simulation, in one place (and in docs/PERFORMANCE.md)."""

    calls_per_month: int = 80_000
    peak_hour_share: float = 0.09  # of a day's calls, in its busiest hour (18 h evening profile)
    words_per_minute: float = 150.0
    # Callers, at each menu question.
    no_key: float = 0.12  # press nothing: the question times out (asked twice, then a default)
    barge_in: float = 0.25  # of those who press: during the prompt, once their option is heard
    reaction_median: float = 2.0  # seconds after the prompt ends (log-normal)
    reaction_sigma: float = 0.5
    region_any: float = 0.3  # "0: anywhere" at the region question
    next_page: float = 0.05  # "9: other regions"
    # Patience: seconds from dialling until a caller gives up without a human (log-normal).
    patience_median: float = 120.0
    patience_sigma: float = 0.6
    callback_taken: float = 0.5  # "nobody is free": press 1 to be texted back
    express_choose: float = 0.2  # the short path: press 1 to choose a topic or region
    # Speech (issue 12, item 3): at a question that listens, say a topic or a place instead.
    speak: float = 0.3  # of callers who answer a question that listens
    speak_seconds: float = 1.5  # saying it; Twilio then waits speechTimeout (2 s)
    speak_confidence: tuple[float, float] = (0.35, 1.0)  # Twilio's Confidence, uniform
    # Each local's own answer rate (issue 12, 2026-11-30): a Beta draw per local with the mean
    # ``accept`` and this concentration (a + b): 4 gives a standard deviation of 0.22 (a
    # quarter of the locals answer under 40% of their calls, a quarter over 71%). 0: every
    # local alike (the model before). Their other outcomes keep their proportions.
    answer_concentration: float = 4.0
    talk_median: float = 240.0  # conversation, seconds (log-normal)
    talk_sigma: float = 0.6
    # Locals when their phone rings (shares add up to 1; the rest let it ring out).
    accept: float = 0.55
    # A local switched off by misses in a row (CALL_MISSED_BEFORE_PAUSE) switches calls back on
    # each morning with this chance (the week, --evenings; a guess: docs/PERFORMANCE.md).
    resume_daily: float = 0.5
    decline: float = 0.07
    voicemail: float = 0.12
    busy: float = 0.06
    pickup_median: float = 8.0  # seconds of ringing before a local picks up (log-normal)
    pickup_sigma: float = 0.5
    voicemail_after: tuple[float, float] = (12.0, 25.0)  # seconds, uniform
    key_median: float = 1.5  # after the whisper, to press 1 (or 2)
    # Advisors on a rota shift (at the office, on duty).
    advisor_accept: float = 0.85
    advisors_on_duty: int = 2
    # Texts (issue 12, item 7): the same evening, the same locals.
    texts_per_month: int = 40_000  # half as many conversations by text as calls
    text_reply: float = 0.8  # a local given a conversation answers it (else it is passed on)
    advisor_text_reply: float = 0.95
    text_reply_median: float = 180.0  # seconds until the local's first answer (log-normal)
    text_reply_sigma: float = 0.8
    text_done_median: float = 900.0  # seconds from the first answer to DONE (log-normal)
    # Channels (issue 16, item 4): the rest of the texts are SMS.
    whatsapp_share: float = 0.25  # of text conversations, on WhatsApp
    web_share: float = 0.15  # by the web chat on the office's site
    community_share: float = 0.1  # the first text asks for an affinity community
    community_members: float = 0.1  # of the bench's locals, each a member of one community
    sweep_every: float = 60.0  # the conversations' sweep (Celery beat, every minute)
    drain: float = 3600.0  # seconds of sweeps after the last arrival, for late answers

    @property
    def calls_per_hour(self) -> float:
        return self.calls_per_month / 30 * self.peak_hour_share

    @property
    def texts_per_hour(self) -> float:
        return self.texts_per_month / 30 * self.peak_hour_share


# Country of the caller's number: the destination's biggest markets by weight, then a long tail of
# 80 others (weight 0.2 each), ~100 countries in all.
MARKETS = {
    "GB": 14, "US": 12, "DE": 11, "BE": 7, "IT": 6, "ES": 6, "CH": 5, "NL": 5, "CN": 3,
    "JP": 2, "BR": 2, "CA": 2, "AU": 2, "IN": 1.5, "KR": 1, "SE": 1, "PL": 1, "PT": 1,
    "AT": 1, "IE": 1,
}  # fmt: skip


def caller_countries() -> tuple[list[str], list[float]]:
    tail = sorted(r for r in phonenumbers.SUPPORTED_REGIONS if r not in MARKETS and r != "FR")
    tail = tail[:: max(1, len(tail) // 80)][:80]
    countries = list(MARKETS) + tail
    return countries, [*MARKETS.values(), *(0.2 for _ in tail)]


def caller_number(country: str, n: int) -> str:
    example = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.MOBILE)
    example = example or phonenumbers.example_number(country)
    assert example is not None, country
    digits = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
    return digits[:-5] + f"{n % 100_000:05d}"


# --- Configurations --------------------------------------------------------------------------


@dataclass(frozen=True)
class Configuration:
    name: str
    description: str
    settings: dict[str, Any] = field(default_factory=dict)  # e.g. CALL_RING_TIMEOUT
    line: dict[str, Any] = field(default_factory=dict)  # the PhoneLine's fields
    model: dict[str, Any] = field(default_factory=dict)  # Model overrides (before/after a change)


TODAY = Configuration(
    "today",
    "full menu (language, motive, region, each asked twice), locals rung one at a time",
    line={"ivr_languages": "en,fr,de,es,it", "full_menu": True, "ring_group_size": 1},
)
SHORT = Configuration(
    "short",
    "the short path: stay on the line (or press 1 to choose), locals rung one at a time, "
    "after the greeting",
    line={
        "ivr_languages": "en,fr,de,es,it",
        "full_menu": False,
        "ring_group_size": 1,
        "rings_early": False,
    },
)
NEW = Configuration(
    "new",
    "the new defaults: the short path, a ring group of the line's default size, rung during "
    "the greeting",
    line={"ivr_languages": "en,fr,de,es,it", "rings_early": True},  # else PhoneLine's defaults
)
GREETING_THEN_RING = Configuration(
    "after",
    "the short path and a ring group of the line's default size, rung after the greeting",
    line={"ivr_languages": "en,fr,de,es,it", "rings_early": False},
)


def group(size: int) -> Configuration:
    """The short path with a ring group of ``size`` (to choose the default: ``groupN``)."""
    return Configuration(
        f"group{size}",
        f"the short path, {size} locals rung at once",
        line={
            "ivr_languages": "en,fr,de,es,it",
            "full_menu": False,
            "ring_group_size": size,
            "rings_early": False,
        },
    )


# Run by default (``--configurations all``); the others on request, e.g. ``group3``.
CONFIGURATIONS = {c.name: c for c in (TODAY, SHORT, NEW)}
EARLY_ONE = Configuration(
    "early1",
    "the short path, one local at a time, rung during the greeting",
    line={"ivr_languages": "en,fr,de,es,it", "ring_group_size": 1, "rings_early": True},
)
ALIKE = Configuration(
    "alike",
    "the new defaults, every local answering alike (the model before each local's own rate)",
    line=NEW.line,
    model={"answer_concentration": 0.0},
)
TOGETHER = Configuration(
    "together",
    "the new defaults, but the ring group's phones rung together (not staggered)",
    settings={"CALL_RING_STAGGER": 0},
    line=NEW.line,
)


def staggered(seconds: int) -> Configuration:
    """The new defaults with another stagger (to choose CALL_RING_STAGGER: ``staggerN``)."""
    return Configuration(
        f"stagger{seconds}",
        f"the new defaults, the next phone after {seconds} s without a pick-up",
        settings={"CALL_RING_STAGGER": seconds},
        line=NEW.line,
    )


EXPLORATORY = {
    c.name: c
    for c in (
        group(2),
        group(3),
        group(4),
        GREETING_THEN_RING,
        EARLY_ONE,
        ALIKE,
        TOGETHER,
        *(staggered(s) for s in (6, 8, 10, 15)),
    )
}


# --- One caller's call -----------------------------------------------------------------------


@dataclass
class Tourist:
    n: int
    dialled: float
    country: str
    patience: float
    phone: Phone
    version: int = 0  # scheduled actions of an older version are stale
    first_ring: float | None = None
    accepted: float | None = None
    by_advisor: bool = False
    ended: float | None = None
    outcome: str = ""  # human, abandoned, nobody, refused
    gave_up_in: str = ""  # where an abandoning caller was: menu or ringing
    rings: int = 0
    placed: set[str] = field(default_factory=set)  # legs rung during the greeting, scheduled
    chose: bool = False  # pressed 1 on the short path, to choose a topic or a region
    free: int = 0  # locals free (callable, in a slot, not ringing or talking) as they dialled


@dataclass
class Result:
    configuration: Configuration
    tourists: list[Tourist]
    rings: int
    rings_for_nothing: int
    gini: float
    locals_available: int
    wall_seconds: float
    webhooks: int
    texters: list[Texter] = field(default_factory=list)
    week: WeekResult | None = None  # --evenings N > 1: each evening and the week

    def reached(self) -> list[Tourist]:
        return [t for t in self.tourists if t.accepted is not None]


def percentile(values: list[float], share: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def gini(values: list[float]) -> float:
    """0: everyone the same; 1: one takes everything."""
    if not values or not sum(values):
        return 0.0
    ordered = sorted(values)
    n = len(ordered)
    weighted = sum((i + 1) * v for i, v in enumerate(ordered))
    return (2 * weighted) / (n * sum(ordered)) - (n + 1) / n


@dataclass(frozen=True)
class Heard:
    """What a caller heard after an action: speech that cannot be interrupted, then the
    interruptible prompt of a <Gather> (with its timeout) or a <Dial> (with its timeout)."""

    speech: float
    prompt: float = 0.0
    gather_timeout: float = 0.0
    dial_timeout: float = 0.0
    pause: float = 0.0  # a <Pause> of the queue's wait loop


class Evening(Texts, Week):
    def __init__(
        self,
        configuration: Configuration,
        *,
        model: Model,
        seed: int,
        hours: float,
        evenings: int = 1,
    ):
        self.configuration = configuration
        self.model = model
        self.rng = random.Random(seed)  # noqa: S311 - a reproducible simulation
        # Texts draw from their own stream: adding them changes no caller's draws.
        self.text_rng = random.Random(seed + 1)  # noqa: S311
        self.seed = seed
        self.hours = hours
        self.line_number = LINE_NUMBER
        self.start = evening_start(hours, evenings)
        self.offsets = [k * DAY for k in range(evenings)]  # each evening's start, seconds
        self.propensities: dict[str, float] = {}
        self.queue: list[tuple[float, int, Callable[[], None]]] = []
        self.sequence = itertools.count()
        self.clock = 0.0
        self.tourists: list[Tourist] = []
        self.texters: list[Texter] = []
        self.answering: set[tuple[int, datetime]] = set()  # conversations a local will answer
        self.advisor_numbers: set[str] = set()
        self.webhooks = 0
        self.responses: list[str] = []  # TwiML of the current action, in order
        host = settings.PUBLIC_BASE_URL.split("://", 1)[1]
        self.client = Client(HTTP_HOST=host)
        self.traveller: Any = None

    # Time.

    def at(self, t: float, action: Callable[[], None]) -> None:
        heapq.heappush(self.queue, (t, next(self.sequence), action))

    def later(self, tourist: Tourist, t: float, action: Callable[[], None]) -> None:
        """An action of the caller's call that a later action makes stale."""
        version = tourist.version

        def guarded() -> None:
            if tourist.version == version and tourist.ended is None:
                action()

        self.at(t, guarded)

    def seconds(self, words: int) -> float:
        return words / self.model.words_per_minute * 60

    def lognormal(self, median: float, sigma: float) -> float:
        return self.rng.lognormvariate(math.log(median), sigma)

    # Webhooks.

    def post(self, path: str, params: dict[str, str]) -> str:
        self.traveller.move_to(self.start + timedelta(seconds=self.clock))
        signature = sign(settings.PUBLIC_BASE_URL + path, params)
        response = self.client.post(
            path, urlencode(params), content_type=FORM, HTTP_X_TWILIO_SIGNATURE=signature
        )
        assert response.status_code == 200, (path, response.status_code)
        self.webhooks += 1
        xml = response.content.decode()
        if "/whisper/" not in path and "/leg/" not in path:  # what the caller hears
            self.responses.append(xml)
        return xml

    def heard(self) -> Heard:
        speech = prompt = gather_timeout = dial_timeout = pause = 0.0
        for xml in self.responses:
            for verb in ET.fromstring(xml):  # noqa: S314 - our own TwiML
                if verb.tag == "Say":
                    speech += self.seconds(len((verb.text or "").split()))
                elif verb.tag == "Gather":
                    words = sum(len((s.text or "").split()) for s in verb.iter("Say"))
                    prompt = self.seconds(words)
                    gather_timeout = float(verb.get("timeout", "5"))
                    break
                elif verb.tag == "Dial":
                    dial_timeout = float(verb.get("timeout", "30"))
                    break
                elif verb.tag == "Pause":
                    pause = float(verb.get("length", "1"))
                    break
        self.responses = []
        return Heard(speech, prompt, gather_timeout, dial_timeout, pause)

    # The run.

    def run(self) -> Result:
        began = time.perf_counter()
        logging.getLogger("celery.app.trace").setLevel(logging.WARNING)  # a line per award
        random.seed(self.seed)  # the routing's own tie-breaks
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(%s)", [(self.seed % 1000) / 1000])
        self.prepare()
        countries, weights = caller_countries()
        rate = self.model.calls_per_hour / 3600
        n = 0
        for offset in self.offsets:
            t = offset + self.rng.expovariate(rate)
            while t < offset + self.hours * 3600:
                if arrives(self.start, t, self.rng):
                    country = self.rng.choices(countries, weights)[0]
                    self.at(t, self.arrival(n, t, country))
                    n += 1
                t += self.rng.expovariate(rate)
        self.schedule_texts(countries, weights)
        self.schedule_mornings()
        with (
            override_settings(**self.configuration.settings),
            override_settings(WEBCHAT_LIMITS=UNLIMITED),  # every visitor from one address
            time_machine.travel(self.start, tick=False) as traveller,
        ):
            self.traveller = traveller
            while self.queue:
                self.clock, _n, action = heapq.heappop(self.queue)
                action()
        return self.result(time.perf_counter() - began)

    def prepare(self) -> None:
        from calls.demo import FAQ
        from calls.models import Conversation, FaqEntry, WebChat
        from concierge.models import (
            Assignment,
            Membership,
            OfficeNetwork,
            Region,
            Role,
            Shift,
            TouristOffice,
            User,
        )

        Conversation.objects.filter(line__number=LINE_NUMBER).delete()
        WebChat.objects.filter(line__number=LINE_NUMBER).delete()
        PhoneLine.objects.filter(number=LINE_NUMBER).delete()
        for position, (topic, language, keywords, answer) in enumerate(FAQ):  # the seeds' FAQ
            FaqEntry.objects.update_or_create(
                topic=topic,
                language=language,
                defaults={"keywords": keywords, "answer": answer, "position": position},
            )
        PhoneLine.objects.create(number=LINE_NUMBER, label="Evening", **self.configuration.line)
        old = OfficeNetwork.objects.filter(name="Evening network")
        TouristOffice.objects.filter(network__in=old).delete()  # offices protect their network
        old.delete()
        User.objects.filter(email__startswith="evening-advisor-").delete()
        network = OfficeNetwork.objects.create(name="Evening network")
        network.regions.set(Region.objects.filter(code="provence-alpes-cote-d-azur"))
        office = TouristOffice.objects.create(name="Evening office", network=network)
        shifts = [
            Shift.objects.create(
                network=network,
                starts_at=self.start + timedelta(seconds=offset, hours=-2),
                ends_at=self.start + timedelta(seconds=offset, hours=self.hours + 2),
                advisors_needed=self.model.advisors_on_duty,
            )
            for offset in self.offsets
        ]
        for k in range(self.model.advisors_on_duty):
            user = User.objects.create(email=f"evening-advisor-{k}@example.com")
            number = f"+33494{k:06d}"
            member = Membership.objects.create(
                user=user,
                network=network,
                office=office,
                role=Role.ADVISOR,
                phone_number=number,
                phone_verified_at=self.start - timedelta(days=30),
            )
            for shift in shifts:
                Assignment.objects.create(shift=shift, membership=member)
            self.advisor_numbers.add(number)
        self.motives = min(9, _active_motives())
        self.prepare_texts()

    def arrival(self, n: int, t: float, country: str) -> Callable[[], None]:
        def dial() -> None:
            sid = "CA" + uuid.UUID(int=self.rng.getrandbits(128)).hex
            phone = Phone(post=self.post, to=LINE_NUMBER, from_=caller_number(country, n), sid=sid)
            patience = self.lognormal(self.model.patience_median, self.model.patience_sigma)
            tourist = Tourist(n, t, country_of(phone.from_), patience, phone)
            tourist.free = free_locals(self.start + timedelta(seconds=t))
            self.tourists.append(tourist)
            self.at(t + patience, lambda: self.give_up(tourist))
            phone.dial()
            self.follow(tourist)

        return dial

    def give_up(self, tourist: Tourist) -> None:
        if tourist.ended is None and tourist.accepted is None:
            if not tourist.outcome:
                phone = tourist.phone
                where = "ringing" if phone.queued and phone.legs else phone.state
                tourist.outcome, tourist.gave_up_in = "abandoned", where
            self.end(tourist, after=0)

    def end(self, tourist: Tourist, *, after: int) -> None:
        tourist.version += 1
        tourist.phone.hang_up(after=after)  # the status callback (and the <Dial>'s, if talking)
        self.responses = []
        tourist.ended = self.clock

    def follow(self, tourist: Tourist) -> None:
        """Schedule what comes next, given what the last action made the phone say and do."""
        tourist.version += 1
        heard = self.heard()
        phone = tourist.phone
        t = self.clock + heard.speech
        self.ring_placed(tourist)
        if phone.state == "holding":  # in their queue, the phones ringing: the loop goes on
            self.later(tourist, t + heard.pause, lambda: self.hold(tourist))
        elif phone.state == "menu":
            self.menu(tourist, t, heard)
        elif phone.state == "ringing":
            tourist.first_ring = tourist.first_ring if tourist.first_ring is not None else t
            tourist.rings += 1
            self.ring(tourist, t, heard.dial_timeout)
        elif phone.state == "connected":
            tourist.accepted = self.clock
            tourist.outcome = "human"
            talk = self.lognormal(self.model.talk_median, self.model.talk_sigma)
            self.later(tourist, self.clock + talk, lambda: self.end(tourist, after=int(talk)))
        else:  # the TwiML ran out: Twilio hangs up
            tourist.outcome = tourist.outcome or "refused"
            self.at(t, lambda: self.end(tourist, after=int(t - tourist.dialled)))

    def menu(self, tourist: Tourist, t: float, heard: Heard) -> None:
        m, phone = self.model, tourist.phone
        action = phone._gather_action
        if "/callback/" in action:  # nobody is free: the offer to be texted back
            tourist.outcome = "nobody"
            tourist.first_ring = tourist.first_ring if tourist.first_ring is not None else t
            if self.rng.random() < m.callback_taken:
                self.later(tourist, t + heard.prompt + 1, lambda: self.press(tourist, "1"))
            else:
                self.later(tourist, t + heard.prompt, lambda: self.end(tourist, after=0))
            return
        if "/menu/express/" in action:  # stay on the line, or press 1 to choose
            if self.rng.random() >= m.express_choose:
                after = t + heard.prompt + heard.gather_timeout
                self.later(tourist, after, lambda: self.wait(tourist))
                return
            reaction = self.lognormal(m.reaction_median, m.reaction_sigma)
            tourist.chose = True
            self.later(
                tourist, t + heard.prompt + min(reaction, 2.5), lambda: self.press(tourist, "1")
            )
            return
        if self.rng.random() < m.no_key:
            self.later(tourist, t + heard.prompt + heard.gather_timeout, lambda: self.wait(tourist))
            return
        if phone.listens and self.rng.random() < m.speak:
            self.speak(tourist, t + heard.prompt * self.rng.uniform(0.1, 0.4), action)
            return
        if self.rng.random() < m.barge_in:
            delay = heard.prompt * self.rng.uniform(0.3, 0.9)
        else:
            reaction = self.lognormal(m.reaction_median, m.reaction_sigma)
            if reaction >= heard.gather_timeout:
                at = t + heard.prompt + heard.gather_timeout
                self.later(tourist, at, lambda: self.wait(tourist))
                return
            delay = heard.prompt + reaction
        key = self.key(tourist, action)
        self.later(tourist, t + delay, lambda: self.press(tourist, key))

    def speak(self, tourist: Tourist, t: float, action: str) -> None:
        """Once the question is heard (barge-in), a topic or a place from the table, in the
        caller's language; Twilio posts it after the speech timeout."""
        languages = self.configuration.line.get("ivr_languages", "en").split(",")
        language = guess_language(tourist.country, languages)
        table = MOTIVES if "/menu/motive/" in action else REGIONS
        words = self.rng.choice(list(table.values()))
        phrase = self.rng.choice(words.get(language) or words.get(ANY) or words["en"])
        confidence = self.rng.uniform(*self.model.speak_confidence)
        at = t + self.model.speak_seconds + 2

        def said() -> None:
            tourist.phone.speak(phrase, confidence)
            self.follow(tourist)

        self.later(tourist, at, said)

    def key(self, tourist: Tourist, action: str) -> str:
        if "confirm=1" in action:  # "Did you say Bordeaux? Press 1 for yes"
            return "1"
        if "/menu/language/" in action:
            languages = self.configuration.line.get("ivr_languages", "en").split(",")
            return str(languages.index(guess_language(tourist.country, languages)) + 1)
        if "/menu/motive/" in action:
            return str(self.rng.randint(0, self.motives))
        if "/menu/region/" in action:
            roll = self.rng.random()
            if roll < self.model.region_any:
                return "0"
            if roll < self.model.region_any + self.model.next_page:
                return "9"
            return str(self.rng.randint(1, 8))
        return "1"

    def press(self, tourist: Tourist, key: str) -> None:
        tourist.phone.press(key)
        self.follow(tourist)

    def wait(self, tourist: Tourist) -> None:
        tourist.phone.wait()
        self.follow(tourist)

    def hold(self, tourist: Tourist) -> None:
        tourist.phone.hold()
        self.follow(tourist)

    def shares(self, number: str, advisor: bool) -> tuple[float, float, float, float]:
        """What a phone's owner does when it rings: accept, decline, voicemail, busy (the rest
        let it ring out). A local's own answer rate; advisors on duty alike."""
        m = self.model
        if advisor:
            return m.advisor_accept, m.decline, m.voicemail, m.busy
        accept = self.propensity(number)
        rest = (1 - accept) / (1 - m.accept)
        return accept, m.decline * rest, m.voicemail * rest, m.busy * rest

    def propensity(self, number: str) -> float:
        """A local's own answer rate, drawn once per local from a stream of its own (the seed
        and their number: the same whatever else is drawn)."""
        m = self.model
        if not m.answer_concentration:
            return m.accept
        if number not in self.propensities:
            k = m.answer_concentration
            draw = random.Random(f"{self.seed}:{number}")  # noqa: S311 - a reproducible model
            self.propensities[number] = draw.betavariate(m.accept * k, (1 - m.accept) * k)
        return self.propensities[number]

    # Ringing during the greeting: calls placed through the API, each with its own timeout.

    def ring_placed(self, tourist: Tourist) -> None:
        """Phones our server has just called for this caller (the engine saw them placed):
        each local's behaviour, drawn as for a <Dial>'s phone (:meth:`ring`)."""
        phone = tourist.phone
        new = [leg for leg in phone.legs if leg.sid and leg.sid not in tourist.placed]
        if not new:
            return
        tourist.placed.update(leg.sid for leg in new)
        tourist.first_ring = tourist.first_ring if tourist.first_ring is not None else self.clock
        tourist.rings += len(new)
        m, rng, t, timeout = self.model, self.rng, self.clock, settings.CALL_RING_TIMEOUT
        for leg in new:
            advisor = leg.number in self.advisor_numbers
            accept, decline, voicemail, busy = self.shares(leg.number, advisor)
            roll = rng.random()
            pickup = self.lognormal(m.pickup_median, m.pickup_sigma)
            if roll < accept + decline:
                key = "1" if roll < accept else "2"
            elif roll < accept + decline + voicemail:
                key, pickup = "", rng.uniform(*m.voicemail_after)
            elif roll < accept + decline + voicemail + busy:
                engaged = functools.partial(phone.busy, leg.number)
                self.on_placed(tourist, leg, t + rng.uniform(1, 3), engaged)
                continue
            else:
                pickup = timeout
            if pickup >= timeout:
                rings_out = functools.partial(phone.no_answer, leg.number)
                self.on_placed(tourist, leg, t + timeout, rings_out)
                continue
            pressed = self.lognormal(m.key_median, 0.5)
            picks_up = functools.partial(self.placed_picked_up, tourist, leg, key, pressed, advisor)
            self.on_placed(tourist, leg, t + pickup, picks_up)

    def on_placed(self, tourist: Tourist, leg: Any, t: float, action: Callable[[], Any]) -> None:
        """An action on a placed phone, stale once that phone is hung up or the caller left the
        queue; the caller's own timeline goes on unless they were just bridged."""

        def guarded() -> None:
            phone = tourist.phone
            if tourist.ended is not None or not phone.queued or leg not in phone.legs:
                return
            action()
            self.responses = []
            if phone.state == "connected":
                self.follow(tourist)
            else:
                self.ring_placed(tourist)  # the next group, when this one is over

        self.at(t, guarded)

    def placed_picked_up(
        self, tourist: Tourist, leg: Any, key: str, pressed: float, advisor: bool
    ) -> None:
        phone = tourist.phone
        request = {"CallSid": leg.sid, "From": leg.caller_id, "To": leg.number}
        whisper = ET.fromstring(phone.post(leg.whisper_url, request))  # noqa: S314
        gather = whisper.find("Gather")
        words = sum(len((s.text or "").split()) for s in whisper.iter("Say"))
        wait = float(gather.get("timeout", "5")) if gather is not None else 0.0
        after = self.seconds(words) + (pressed if key else wait)

        def answer() -> None:
            phone.answer(key, leg.number)
            if phone.state == "connected":
                tourist.by_advisor = advisor

        self.on_placed(tourist, leg, self.clock + after, answer)

    def ring(self, tourist: Tourist, t: float, timeout: float) -> None:
        """The phones of a <Dial> ring from ``t`` (one, or a ring group): what each local does,
        and when, drawn phone by phone. Twilio's ``timeout`` rings out the phones nobody picked
        up; a phone picked up plays its whisper to the end. Each phone's news may leave the
        others ringing (same <Dial>), connect the caller, or end the <Dial> (the next group)."""
        m, rng, phone = self.model, self.rng, tourist.phone
        legs = list(phone.legs)
        tourist.rings += len(legs)
        dial = (tourist.version, legs[0].action)
        picked: set[str] = set()
        for leg in legs:
            advisor = leg.number in self.advisor_numbers
            accept, decline, voicemail, busy = self.shares(leg.number, advisor)
            roll = rng.random()
            pickup = self.lognormal(m.pickup_median, m.pickup_sigma)
            if roll < accept + decline:
                key = "1" if roll < accept else "2"
            elif roll < accept + decline + voicemail:
                key, pickup = "", rng.uniform(*m.voicemail_after)
            elif roll < accept + decline + voicemail + busy:
                busy_at = t + rng.uniform(1, 3)
                self.on_leg(tourist, dial, busy_at, functools.partial(phone.busy, leg.number))
                continue
            else:
                pickup = timeout
            if pickup >= timeout:
                continue  # rings out with the <Dial>'s timeout
            pressed = self.lognormal(m.key_median, 0.5)
            picks_up = functools.partial(
                self.picked_up, tourist, dial, leg, key, pressed, advisor, picked
            )
            self.on_leg(tourist, dial, t + pickup, picks_up)

        def ring_out() -> None:
            for leg in list(phone.legs):
                if leg.number not in picked and phone.state == "ringing":
                    phone.no_answer(leg.number)

        self.on_leg(tourist, dial, t + timeout, ring_out)

    def on_leg(
        self, tourist: Tourist, dial: tuple[int, str], t: float, action: Callable[[], Any]
    ) -> None:
        """An action on one phone of the <Dial> ``dial``: stale once the caller's call moved
        on (connected, the next group, hung up); the caller's side follows only when the <Dial>
        itself ended or connected."""

        def guarded() -> None:
            phone = tourist.phone
            if (tourist.version, phone.ringing.action if phone.ringing else "") != dial:
                return
            if tourist.ended is not None or phone.state != "ringing":
                return
            action()
            if phone.state == "ringing" and phone.ringing and phone.ringing.action == dial[1]:
                self.responses = []  # the other phones ring on
                return
            self.follow(tourist)

        self.at(t, guarded)

    def picked_up(
        self,
        tourist: Tourist,
        dial: tuple[int, str],
        leg: Any,
        key: str,
        pressed: float,
        advisor: bool,
        picked: set[str],
    ) -> None:
        """A local picks up and hears the whisper (read here for its length; the engine posts
        it again with the key)."""
        phone = tourist.phone
        picked.add(leg.number)
        request = {"CallSid": "CA0", "From": leg.caller_id, "To": leg.number}
        whisper = ET.fromstring(phone.post(leg.whisper_url, request))  # noqa: S314
        gather = whisper.find("Gather")
        words = sum(len((s.text or "").split()) for s in whisper.iter("Say"))
        wait = float(gather.get("timeout", "5")) if gather is not None else 0.0
        after = self.seconds(words) + (pressed if key else wait)

        def answer() -> None:
            phone.answer(key, leg.number)
            if phone.state == "connected":
                tourist.by_advisor = advisor

        self.on_leg(tourist, dial, self.clock + after, answer)

    # Figures.

    def result(self, wall: float) -> Result:
        attempts = CallAttempt.objects.filter(call__line__number=LINE_NUMBER)
        rings = attempts.count()
        accepted = attempts.filter(outcome="accepted").count()
        per_local = Counter(
            attempts.filter(outcome="accepted", ambassador__isnull=False).values_list(
                "ambassador_id", flat=True
            )
        )
        hours = available_hours(self.start, self.hours)
        ratios = [per_local.get(pk, 0) / h for pk, h in hours.items() if h > 0]
        week = self.week_result() if len(self.offsets) > 1 else None
        return Result(
            configuration=self.configuration,
            tourists=self.tourists,
            rings=rings,
            rings_for_nothing=rings - accepted,
            gini=week.week.gini if week else gini(ratios),
            locals_available=week.week.locals_available if week else len(ratios),
            wall_seconds=wall,
            webhooks=self.webhooks,
            texters=self.texts_result(),
            week=week,
        )


def free_locals(at: datetime) -> int:
    """Locals who could take a call at ``at`` in some language (callable, in a weekly slot) and
    are neither ringing nor talking for another call."""
    from django.db.models import Exists, OuterRef, Q

    from ambassadors.models import AvailabilitySlot
    from ambassadors.selectors import routable_ambassadors, slots_covering, week_minute

    in_slot = AvailabilitySlot.objects.filter(
        slots_covering(week_minute(at)), ambassador=OuterRef("pk")
    )
    engaged = CallAttempt.objects.filter(ambassador=OuterRef("pk")).filter(
        Q(outcome="ringing") | Q(outcome="accepted", call__status="in_progress")
    )
    return routable_ambassadors(at=at).filter(Exists(in_slot), ~Exists(engaged)).count()


def _active_motives() -> int:
    from concierge.models import CallMotive

    return CallMotive.objects.filter(is_active=True).count()


def available_hours(start: datetime, hours: float) -> dict[int, float]:
    """Hours each callable local is available within the window (weekly slots, Paris time)."""
    from ambassadors.models import Ambassador, AvailabilitySlot

    week = 7 * 24 * 60
    local = start.astimezone(NOW.tzinfo)
    first = local.weekday() * 1440 + local.hour * 60 + local.minute
    last = first + int(hours * 60)
    callable_ = Ambassador.objects.filter(
        is_active=True, accepting_calls=True, phone_verified_at__isnull=False
    ).exclude(paused_until__gt=start)
    result: dict[int, float] = {}
    slots = AvailabilitySlot.objects.filter(ambassador__in=callable_).values_list(
        "ambassador_id", "start_minute", "end_minute"
    )
    for pk, begin, end in slots:
        overlap = 0
        for shift in (-week, 0, week):
            overlap += max(0, min(end + shift, last) - max(begin + shift, first))
        if overlap:
            result[pk] = result.get(pk, 0.0) + overlap / 60
    return result


def simulate(
    configuration: Configuration,
    *,
    seed: int = 12,
    hours: float = 1.0,
    model: Model | None = None,
    evenings: int = 1,
) -> Result:
    """One configuration's evening (or ``evenings`` in a row), on the population already in
    the database."""
    Call.objects.filter(line__number=LINE_NUMBER).delete()
    model = replace(model or Model(), **configuration.model)
    return Evening(configuration, model=model, seed=seed, hours=hours, evenings=evenings).run()


def print_results(
    results: list[Result], *, ambassadors: int, hours: float, seed: int, evenings: int = 1
) -> None:
    model = Model()
    begins = evening_start(hours, evenings).astimezone(NOW.tzinfo)
    days = f"{evenings} evenings from {begins:%A}, each " if evenings > 1 else ""
    print(
        f"\n# The simulated evening: time to a human ({ambassadors:,} ambassadors, "
        f"{days}{hours:g} h from {begins:%H:%M} Paris, the busiest hour at "
        f"{model.calls_per_hour:.0f} calls/h, seed {seed})\n"
    )
    if evenings > 1:
        print("The whole week in one row per configuration; each evening below.\n")
    print(
        "| configuration | calls | reached a human | abandoned | nobody free "
        "| dial→accept p50 s | p90 | p99 | menu s p50 | p90 | rings per answered call "
        "| rings for nothing | Gini (calls per available hour) |"
    )
    print("| --- |" + " ---: |" * 12)
    for r in results:
        calls = len(r.tourists) or 1
        waits = [t.accepted - t.dialled for t in r.reached() if t.accepted is not None]
        menus = [t.first_ring - t.dialled for t in r.tourists if t.first_ring is not None]
        outcomes = Counter(t.outcome for t in r.tourists)
        answered = len(waits) or 1
        print(
            f"| {r.configuration.name} | {len(r.tourists)} | {len(waits) / calls:.0%} "
            f"| {outcomes['abandoned'] / calls:.0%} | {outcomes['nobody'] / calls:.0%} "
            f"| {percentile(waits, 0.5):.0f} | {percentile(waits, 0.9):.0f} "
            f"| {percentile(waits, 0.99):.0f} | {percentile(menus, 0.5):.0f} "
            f"| {percentile(menus, 0.9):.0f} | {r.rings / answered:.2f} "
            f"| {r.rings_for_nothing / (r.rings or 1):.0%} | {r.gini:.2f} |"
        )
    print_texts(results, model)
    for r in results:
        stayed = [t.accepted - t.dialled for t in r.reached() if t.accepted and not t.chose]
        chose = [t.accepted - t.dialled for t in r.reached() if t.accepted and t.chose]
        if chose:
            print(
                f"\n- {r.configuration.name}, dial→accept: callers who stayed on the line "
                f"p50 {percentile(stayed, 0.5):.0f} s, p90 {percentile(stayed, 0.9):.0f} s "
                f"({len(stayed)}); who pressed 1 to choose p50 {percentile(chose, 0.5):.0f} s, "
                f"p90 {percentile(chose, 0.9):.0f} s ({len(chose)})."
            )
    for r in results:
        free = [t for t in r.tourists if t.free >= FREE_ENOUGH]
        reached = sum(t.accepted is not None for t in free)
        print(
            f"\n- {r.configuration.name}: of the {len(free)} callers who dialled while at least "
            f"{FREE_ENOUGH} locals were free, {reached / (len(free) or 1):.1%} reached a human "
            f"({reached}); overall {len(r.reached()) / (len(r.tourists) or 1):.1%}."
        )
    for r in results:
        advisors = sum(t.by_advisor for t in r.reached())
        left = Counter(t.gave_up_in for t in r.tourists if t.outcome == "abandoned")
        print(
            f"\n- {r.configuration.name}: {r.configuration.description}; "
            f"{r.locals_available} locals available in the window, {advisors} calls taken by "
            f"advisors on duty; callers gave up in a menu {left['menu']} times, while a phone "
            f"rang {left['ringing']} times; {r.webhooks:,} webhooks in {r.wall_seconds:.0f} s."
        )
    print_week(results)
