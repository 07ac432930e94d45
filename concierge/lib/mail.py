"""An e-mail as the catalogues write it (the words; sending is the caller's business)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mail:
    subject: str
    body: str
