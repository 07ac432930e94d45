"""Every word of the web chat a visitor reads exists in each language of the line."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

CATALOGUES = ("fr", "de", "es", "it", "pt", "nl", "zh_Hans", "ja")


def webchat_msgids() -> list[tuple[str | None, str]]:
    tree = ast.parse((Path(settings.BASE_DIR) / "calls" / "webchat" / "copy.py").read_text())
    found: list[tuple[str | None, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("_", "pgettext"):
            values = [str(a.value) for a in node.args if isinstance(a, ast.Constant)]
            found.append((None, values[0]) if len(values) == 1 else (values[0], values[1]))
    return found


@pytest.mark.parametrize("language", CATALOGUES)
def test_every_web_chat_text_is_translated(language):
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    ids = webchat_msgids()
    assert len(ids) > 20
    missing = [
        msgid
        for context, msgid in ids
        if not (entry := catalogue.get(msgid, context=context)) or not entry.string
    ]
    assert not missing, missing
