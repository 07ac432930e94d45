"""The public pages, included by the project's URLs by name (concierge may not import calls): the
home, its translations, the embeddable snippet for tourist offices, and the posters."""

from __future__ import annotations

from django.urls import path, register_converter

from . import posters
from .home import HOME_LANGUAGES, embed_help, embed_line, home, home_in


class Choice:
    """A path segment among fixed words: anything else is a 404, never a 500."""

    regex = ""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class HomeLanguage(Choice):
    regex = "|".join(HOME_LANGUAGES)


class LineCode(Choice):
    """A line's public code: its E.164 number without the "+" (public anyway, not a row id)."""

    regex = "[1-9][0-9]{5,14}"


class PosterSize(Choice):
    regex = "|".join(posters.SIZES)


class PosterLanguage(Choice):
    regex = "|".join(posters.LANGUAGES)


register_converter(HomeLanguage, "home_language")
register_converter(LineCode, "line_code")
register_converter(PosterSize, "poster_size")
register_converter(PosterLanguage, "poster_language")

urlpatterns = [
    path("", home, name="home"),
    path("<home_language:language>/", home_in, name="home-in"),
    path("embed/", embed_help, name="embed-help"),
    path("embed/line/<line_code:code>/", embed_line, name="embed-line"),
    path("posters/", posters.poster_list, name="posters"),
    path(
        "posters/<line_code:code>/<poster_size:size>/<poster_language:language>/",
        posters.poster,
        name="poster",
    ),
]
