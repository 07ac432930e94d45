"""Every word a tourist hears or reads, in their language (issue 12, item 5).

The catalogues: every msgid a tourist meets is translated in each language we speak, with the
same placeholders. The line: a German caller hears German from the welcome to the goodbye; a
Japanese texter reads Japanese; an Italian caller's callback text is Italian with the number
written for humans.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from calls.models import CallbackRequest, Conversation, PhoneLine
from calls.simulator.engine import Phone, parse
from calls.tasks import serve_callback_requests
from calls.telephony import locmem
from calls.voice.prompts import PROMPT_LANGUAGES, PROMPTS, VOICE_LANGUAGE
from concierge.lib.languages import catalogue_language
from concierge.lib.names import COMMUNITY_NAMES, MOTIVE_NAMES, REGION_NAMES

from ..factories import every_day, make_ambassador
from .twilio import text, twilio

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "zh", "ja")
CATALOGUES = [language for language in LANGUAGES if language != "en"]  # English is the msgid
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
LOCAL_PROMPTS = (
    "whisper",
    "whisper_any_motive",
    "whisper_taken",
)  # for locals: English or French only


def copy_msgids() -> list[str]:
    """The msgids of every text to tourists in calls/copy.py (tourist_*, caller_*, the apology
    and the brand prefix), read from the source so that a new one cannot be forgotten."""
    tree = ast.parse((ROOT / "calls" / "copy.py").read_text())
    found = []
    for function in tree.body:
        if not isinstance(function, ast.FunctionDef):
            continue
        if function.name.startswith(("tourist_", "caller_")) or function.name in (
            "sorry_try_again",
            "_branded",
        ):
            for node in ast.walk(function):
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_":
                    argument = node.args[0]
                    assert isinstance(argument, ast.Constant)
                    assert isinstance(argument.value, str)
                    found.append(argument.value)
    return found


def tourist_msgids() -> list[str]:
    prompts = [text for key, text in PROMPTS.items() if key not in LOCAL_PROMPTS]
    with translation.override("en"):
        every_name = (*REGION_NAMES.values(), *MOTIVE_NAMES.values(), *COMMUNITY_NAMES.values())
        names = [str(name) for name in every_name]
    return list(dict.fromkeys([*prompts, *copy_msgids(), *names, "an unknown country"]))


def test_the_line_speaks_every_language_and_has_a_voice_for_each():
    assert set(PROMPT_LANGUAGES) == set(LANGUAGES)
    assert {language: VOICE_LANGUAGE[language] for language in LANGUAGES} == {
        "en": "en-GB", "fr": "fr-FR", "de": "de-DE", "es": "es-ES", "it": "it-IT",
        "pt": "pt-PT", "nl": "nl-NL", "zh": "cmn-CN", "ja": "ja-JP",
    }  # fmt: skip


def test_the_tourist_msgids_are_found():
    msgids = tourist_msgids()
    assert len(msgids) > 60
    assert "%(brand)s: %(text)s" in msgids
    assert "a local is free now! Call us back on %(number)s." in msgids
    assert "Food and wine" in msgids and "Brittany" in msgids


@pytest.mark.parametrize("language", CATALOGUES)
def test_every_tourist_msgid_is_translated(language):
    locale = catalogue_language(language).replace("-hans", "_Hans")
    with (ROOT / "locale" / locale / "LC_MESSAGES" / "django.po").open("rb") as po:
        catalogue = read_po(po)
    problems = []
    for msgid in tourist_msgids():
        message = catalogue.get(msgid)
        if message is None or not message.string:
            problems.append(f"untranslated: {msgid!r}")
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        translated = str(message.string)
        if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(translated)):
            problems.append(f"placeholders differ: {msgid!r} → {message.string!r}")
        with translation.override(catalogue_language(language)):  # and compiled
            if gettext(msgid) != message.string:
                problems.append(f"not compiled: {msgid!r}")
    assert problems == []


# --- A German caller, from the first prompt to the goodbye ------------------------------------


class Recorder:
    """Twilio's side of the conversation: every TwiML page our webhooks answered, by path."""

    def __init__(self, client: Client):
        self.pages: list[tuple[str, str]] = []
        self._post = twilio(client)

    def __call__(self, path: str, params: dict[str, str]) -> str:
        xml = self._post(path, params)
        self.pages.append((path, xml))
        return xml

    def says(self) -> list[tuple[str, str]]:
        """(text, language) of every <Say> the caller heard, in order (not the whispers)."""
        heard: list[tuple[str, str]] = []
        for path, xml in self.pages:
            if "/whisper/" in path:
                continue
            heard.extend(
                (say.text or "", say.get("language", "")) for say in parse(xml).iter("Say")
            )
        return heard


@pytest.fixture
def german_line(db):
    return PhoneLine.objects.create(
        number="+33199000000", label="National", ivr_languages="en,fr,de", full_menu=True
    )


def test_a_german_caller_hears_german_from_the_welcome_to_the_goodbye(
    client, german_line, django_capture_on_commit_callbacks
):
    make_ambassador("heidi@example.com", name="Heidi", languages=("en", "de"), slots=every_day())
    twilio_side = Recorder(client)
    tourist = Phone(post=twilio_side, to="+33199000000", from_="+4915112345678")
    tourist.dial()
    tourist.wait().wait()  # no key twice: German, guessed from the country code
    tourist.press("2")  # food and wine
    tourist.press("0")  # anywhere
    tourist.no_answer()  # Heidi is busy: nobody else
    with django_capture_on_commit_callbacks(execute=True):
        tourist.press("1")  # text me when a local is free
    assert tourist.state == "ended"

    heard = twilio_side.says()
    welcome, *rest = heard
    assert welcome == (
        "Willkommen bei Destination Concierge. Gleich sprechen Sie mit jemandem von hier.",
        "de-DE",
    )
    menu = [text for text, _voice in rest if text.startswith(("For ", "Pour ", "Für "))][:3]
    assert menu == [
        "For English, press 1.",
        "Pour le français, tapez 2.",
        "Für Deutsch, drücken Sie 3.",
    ]  # each language in its own words, before the caller has chosen
    after_menu = [(t, v) for t, v in rest if t not in menu]
    assert after_menu, heard
    assert {voice for _text, voice in after_menu} == {"de-DE"}
    spoken = [t for t, _v in after_menu]
    assert "Worüber möchten Sie sprechen?" in spoken
    assert "Für Essen und Wein drücken Sie die 2." in spoken
    assert "Für alle anderen Themen drücken Sie die 0." in spoken
    assert "Welche Region Frankreichs interessiert Sie?" in spoken
    assert "Für Bretagne drücken Sie die 3." in spoken
    assert "Für Korsika drücken Sie die 5." in spoken
    assert (
        "Vielen Dank. Wir verbinden Sie jetzt mit jemandem von hier. Bitte bleiben Sie dran."
        in spoken
    )
    assert spoken[-3].startswith("Es tut uns leid: Gerade sind alle unsere Ansprechpartner")
    assert spoken[-2].startswith("Wenn Sie eine SMS möchten, sobald jemand frei ist")
    assert spoken[-1] == (
        "Vielen Dank. Wir schicken Ihnen eine SMS, sobald jemand frei ist. Auf Wiederhören."
    )
    for sentence in spoken:  # not a word of English left
        for english in ("press", "Thank you", "local", "Goodbye", "Food and wine", "Brittany"):
            assert english not in sentence, sentence


def test_the_whisper_stays_english_for_an_english_speaking_local(client, german_line):
    make_ambassador("heidi@example.com", name="Heidi", languages=("en", "de"), slots=every_day())
    tourist = Phone(post=twilio(client), to="+33199000000", from_="+4915112345678")
    tourist.dial().wait().wait().press("2").press("0").answer("1")
    assert "Tourist call, German, Food and wine: press 1" in tourist.whispered[0]


def test_a_french_speaking_local_hears_the_topic_in_french(client, german_line):
    make_ambassador("ines@example.com", name="Inès", languages=("fr", "de"), slots=every_day())
    tourist = Phone(post=twilio(client), to="+33199000000", from_="+4915112345678")
    tourist.dial().wait().wait().press("2").press("0").answer("1")
    assert "Gastronomie et vins" in tourist.whispered[0]


# --- Texts --------------------------------------------------------------------------------------

JAPANESE = "+819012345678"
ITALIAN = "+393471234567"


def inbox(number: str) -> list[str]:
    return [sms.body for sms in locmem.outbox if sms.to == number]


def test_a_japanese_texter_reads_japanese(client, german_line, django_capture_on_commit_callbacks):
    make_ambassador("kenji@example.com", name="Kenji", languages=("en", "ja"), slots=every_day())
    with django_capture_on_commit_callbacks(execute=True):
        text(client, JAPANESE, "Hello from Tokyo")
    assert Conversation.objects.get(tourist_number=JAPANESE).language == "ja"
    assert inbox(JAPANESE) == [
        "Destination Concierge：地元ボランティアのKenjiが担当します。このままご返信いただければ"
        "チャットできます。NEW：別の人に代わる。STOP：配信停止。"
    ]
    with django_capture_on_commit_callbacks(execute=True):
        text(client, JAPANESE, "HELP")
    assert inbox(JAPANESE)[-1].startswith(
        "Destination Concierge：ご質問をメッセージでお送りください。"
    )


def test_an_italian_callers_callback_text_is_italian_with_the_number_for_humans(
    client, django_capture_on_commit_callbacks
):
    PhoneLine.objects.create(
        number="+33199000000", label="National", ivr_languages="en,fr,it", full_menu=True
    )
    tourist = Phone(post=twilio(client), to="+33199000000", from_=ITALIAN)
    tourist.dial().wait().wait().press("0").press("0")  # nobody free
    with django_capture_on_commit_callbacks(execute=True):
        tourist.press("1")
    assert (
        tourist.said[-1] == "Grazie. Le invieremo un SMS appena qualcuno sarà libero. Arrivederci."
    )
    assert CallbackRequest.objects.count() == 1

    make_ambassador("luca@example.com", name="Luca", languages=("en", "it"), slots=every_day())
    with django_capture_on_commit_callbacks(execute=True):
        assert serve_callback_requests() == 1
    assert inbox(ITALIAN) == [
        "Destination Concierge: ora c'è qualcuno libero! Ci richiami al +33 1 99 00 00 00."
    ]


def test_region_and_motive_names_in_the_api_follow_the_reader(client):
    from concierge.models import CallMotive, Region

    food = CallMotive.objects.get(code="food-and-wine")
    with translation.override("fr"):
        assert str(food) == "Gastronomie et vins"
        assert str(Region.objects.get(code="bretagne")) == "Bretagne"
    with translation.override("ja"):
        assert str(food) == "食とワイン"
    with translation.override("en"):
        assert str(Region.objects.get(code="bretagne")) == "Brittany"
    custom = CallMotive.objects.create(code="wine-tasting", name="Wine tasting")
    with translation.override("de"):
        assert str(custom) == "Wine tasting"  # no translation: the row's own name


def test_the_history_page_and_the_api_name_the_topic_in_the_readers_language(
    client, national_line, alice
):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    tourist = Phone(post=twilio(client), to="+33199000000", from_="+447911123456")
    tourist.dial().press("1").press("2").press("0").answer("1").hang_up(after=60)
    client.force_login(alice.user)
    assert "Food and wine" in client.get("/calls/history/").text
    assert "Gastronomie et vins" in client.get("/calls/history/", HTTP_ACCEPT_LANGUAGE="fr").text
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=alice.user).key}")
    assert api.get("/api/v1/me/calls/").json()["results"][0]["motive"] == "Food and wine"
    french = api.get("/api/v1/me/calls/", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert french["results"][0]["motive"] == "Gastronomie et vins"


def test_a_chinese_caller_hears_mandarin_in_a_voice_that_speaks_it(client):
    """Twilio's default voice speaks five languages; Mandarin needs a named one (Polly's)."""
    PhoneLine.objects.create(
        number="+33199000000", label="National", ivr_languages="en,zh", full_menu=True
    )
    twilio_side = Recorder(client)
    Phone(post=twilio_side, to="+33199000000", from_="+8613812345678").dial()
    says = [say for _path, xml in twilio_side.pages for say in parse(xml).iter("Say")]
    welcome = says[0]
    assert welcome.text == "欢迎致电 Destination Concierge。稍后您将与一位当地人通话。"
    assert (welcome.get("language"), welcome.get("voice")) == ("cmn-CN", "Polly.Zhiyu")
    chinese_choice = next(say for say in says if say.text == "中文服务，请按2。")
    assert chinese_choice.get("voice") == "Polly.Zhiyu"
    english_choice = next(say for say in says if say.text == "For English, press 1.")
    assert (english_choice.get("language"), english_choice.get("voice")) == ("en-GB", None)


def test_the_api_lists_regions_and_topics_named_in_the_readers_language(client, alice):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=alice.user).key}")
    for language, brittany, food in (
        ("en", "Brittany", "Food and wine"),
        ("fr", "Bretagne", "Gastronomie et vins"),
        ("de", "Brittany", "Food and wine"),  # volunteers read the site in English or French
    ):
        choices = api.get("/api/v1/choices/", HTTP_ACCEPT_LANGUAGE=language).json()
        regions = {row["code"]: row["name"] for row in choices["regions"]}
        motives = {row["code"]: row["name"] for row in choices["motives"]}
        assert (regions["bretagne"], motives["food-and-wine"]) == (brittany, food), language
    assert {"code": "la-reunion", "name": "Réunion", "kind": "overseas"} in api.get(
        "/api/v1/choices/"
    ).json()["regions"]
