"""The table of what callers may say (calls/voice/places.py): every entry points to a region or
a topic the destination has, fits Twilio's hints, and is understood back as its own place or
topic by a caller of its language."""

from __future__ import annotations

import pytest

from calls.voice.places import ANY, MOTIVES, REGIONS
from calls.voice.prompts import PROMPT_LANGUAGES
from calls.voice.speech import hear, normalized
from concierge.models import CallMotive, Region

pytestmark = pytest.mark.django_db


def every_phrase():
    for kind, table in (("region", REGIONS), ("motive", MOTIVES)):
        for code, words in table.items():
            for language, phrases in words.items():
                for phrase in phrases:
                    yield kind, code, language, phrase


def test_every_entry_points_to_a_region_or_topic_of_the_demo_data():
    # The destination's rows are the ones the migrations and seed_demo create.
    assert set(REGIONS) <= set(Region.objects.values_list("code", flat=True))
    assert set(MOTIVES) <= set(CallMotive.objects.values_list("code", flat=True))


def test_every_phrase_fits_twilios_hints_and_a_language_we_speak():
    for _kind, code, language, phrase in every_phrase():
        assert language == ANY or language in PROMPT_LANGUAGES, (code, language)
        assert "," not in phrase and 0 < len(phrase) <= 100, phrase
        assert normalized(phrase), phrase  # not only small words


def test_every_phrase_is_understood_as_its_own_place_or_topic():
    regions, motives = list(Region.objects.all()), list(CallMotive.objects.all())
    wrong = []
    for kind, code, language, phrase in every_phrase():
        for caller in PROMPT_LANGUAGES if language == ANY else (language,):
            if language == ANY and caller in ("zh", "ja"):
                continue  # Latin place names are not listened for in Chinese or Japanese
            heard = hear(phrase, caller, motives=motives, regions=regions)
            got = None if heard is None else heard.region if kind == "region" else heard.motive
            if got is None or got.code != code:
                wrong.append((caller, phrase, code, got.code if got else None))
    assert wrong == []


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        ("fr", "Je voudrais aller sur la Côte d'Azur", "provence-alpes-cote-d-azur"),
        ("en", "st malo", "bretagne"),
        ("fr", "les châteaux de la Loire", "centre-val-de-loire"),
        ("fr", "le Pays de la Loire", "pays-de-la-loire"),  # not the Loire valley's castles
        ("ja", "モンサンミッシェルに行きたいです", "normandie"),
        ("zh", "我想去尼斯。", "provence-alpes-cote-d-azur"),
        ("es", "Quiero ir a Normandía", "normandie"),
        ("it", "Parigi", "ile-de-france"),
    ],
)
def test_places_are_found_in_a_sentence(language, said, expected):
    heard = hear(said, language, regions=list(Region.objects.all()))
    assert heard is not None and heard.region is not None
    assert heard.region.code == expected


@pytest.mark.parametrize(
    ("language", "said", "expected"),
    [
        ("en", "wine", "food-and-wine"),
        ("en", "hiking", "unusual-places"),
        ("de", "Wein", "food-and-wine"),
        ("es", "vino", "food-and-wine"),
        ("nl", "wandelen in de natuur", "unusual-places"),
        ("en", "just chat about wine", "food-and-wine"),  # a real wish wins over a chat
        ("pt", "bater papo", "just-chat"),
    ],
)
def test_topics_are_found_in_a_sentence(language, said, expected):
    heard = hear(said, language, motives=list(CallMotive.objects.all()))
    assert heard is not None and heard.motive is not None
    assert heard.motive.code == expected


def test_the_first_thing_named_wins():
    heard = hear("wine and hiking", "en", motives=list(CallMotive.objects.all()))
    assert heard is not None and heard.motive is not None
    assert heard.motive.code == "food-and-wine"
