"""Calls placed where no real telephony exists (sandbox, tests): kept in memory, in order, for
the engine that plays Twilio's part (calls.simulator.engine) to ring and to hang up."""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class PlacedCall:
    sid: str
    to: str
    from_: str
    url: str
    status_callback: str
    timeout: int


# Every call placed, and the SIDs hung up through the API, oldest first (like ``outbox``).
placed: list[PlacedCall] = []
ended: list[str] = []


class FakeCalls:
    def place_call(
        self, *, to: str, from_: str, url: str, status_callback: str, timeout: int
    ) -> str:
        sid = "CA" + uuid.uuid4().hex
        placed.append(PlacedCall(sid, to, from_, url, status_callback, timeout))
        return sid

    def end_call(self, *, sid: str) -> None:
        ended.append(sid)
