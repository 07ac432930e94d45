"""Plays Twilio's part: follows our TwiML the way Twilio would, sending signed webhooks.

The call simulator and the end-to-end tests both drive calls through this engine, so what they
exercise is exactly the HTTP contract Twilio sees. ``post(path, params)`` sends one signed request
and returns the TwiML text; it is given by the caller (the Django test client, or the simulator).
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Post = Callable[[str, dict[str, str]], str]


def parse(twiml: str) -> ET.Element:
    # Our own server's TwiML, not untrusted input.
    return ET.fromstring(twiml)  # noqa: S314


@dataclass
class Ringing:
    """One phone of a <Dial> (a ring group rings several at once)."""

    number: str
    caller_id: str
    whisper_url: str
    action: str
    status_url: str = ""  # the <Number>'s own status callback


@dataclass
class Phone:
    """One caller's call, from dialling to hanging up."""

    post: Post
    to: str
    from_: str
    sid: str = field(default_factory=lambda: "CA" + uuid.uuid4().hex)
    said: list[str] = field(default_factory=list)
    state: str = "idle"  # idle, menu, ringing, connected, ended
    _gather_action: str = ""
    _gather_input: str = "dtmf"  # what the <Gather> listens to: "dtmf", or "dtmf speech"
    _after_gather: list[ET.Element] = field(default_factory=list)
    legs: list[Ringing] = field(default_factory=list)  # the phones ringing now
    whispered: list[str] = field(default_factory=list)
    # What the caller heard and did, in order: prompts, and the keys they pressed (or not).
    transcript: list[str] = field(default_factory=list)

    def params(self, **extra: str) -> dict[str, str]:
        return {"CallSid": self.sid, "From": self.from_, "To": self.to, **extra}

    def dial(self) -> Phone:
        self._run(self.post("/calls/voice/incoming/", self.params(CallStatus="ringing")))
        return self

    def press(self, digits: str) -> Phone:
        assert self.state == "menu", f"nothing is listening for keys ({self.state})"
        self.transcript.append(f"⌨ {digits}")
        self._run(self.post(self._gather_action, self.params(Digits=digits)))
        return self

    def speak(self, words: str, confidence: float | None = None) -> Phone:
        """Say ``words`` to a <Gather> that listens (input="dtmf speech"): Twilio posts what it
        understood as SpeechResult, with a Confidence from 0 to 1 when it has one."""
        assert self.state == "menu", f"nobody is listening ({self.state})"
        assert "speech" in self._gather_input.split(), "this question takes keys only"
        heard = {"SpeechResult": words}
        if confidence is not None:
            heard["Confidence"] = f"{confidence:.2f}"
        self.transcript.append(
            f"🗣 {words}" + (f" ({confidence:.2f})" if confidence is not None else "")
        )
        self._run(self.post(self._gather_action, self.params(**heard)))
        return self

    @property
    def listens(self) -> bool:
        """The question now asked may be answered by speaking."""
        return self.state == "menu" and "speech" in self._gather_input.split()

    def wait(self) -> Phone:
        """Press nothing: Twilio goes on with the verbs after <Gather>."""
        assert self.state == "menu"
        self.transcript.append("⌨ —")
        self._follow(self._after_gather)
        return self

    def to_dict(self) -> dict[str, object]:
        """Plain data, to keep a call going across requests (the simulator's session)."""
        return {
            "to": self.to,
            "from": self.from_,
            "sid": self.sid,
            "said": self.said,
            "state": self.state,
            "gather_action": self._gather_action,
            "gather_input": self._gather_input,
            "after_gather": [ET.tostring(verb, encoding="unicode") for verb in self._after_gather],
            "legs": [vars(leg) for leg in self.legs],
            "whispered": self.whispered,
            "transcript": self.transcript,
        }

    @classmethod
    def from_dict(cls, post: Post, data: dict[str, Any]) -> Phone:
        phone = cls(post=post, to=data["to"], from_=data["from"], sid=data["sid"])
        phone.said = list(data["said"])
        phone.state = data["state"]
        phone._gather_action = data["gather_action"]
        phone._gather_input = data.get("gather_input", "dtmf")
        phone._after_gather = [parse(verb) for verb in data["after_gather"]]
        legs = data.get("legs") or ([data["ringing"]] if data.get("ringing") else [])
        phone.legs = [Ringing(**leg) for leg in legs]
        phone.whispered = list(data["whispered"])
        phone.transcript = list(data.get("transcript", phone.said))
        return phone

    @property
    def ringing(self) -> Ringing | None:
        """The first phone ringing, if any (one at a time: the only one)."""
        return self.legs[0] if self.legs else None

    # The locals' side of the <Dial>: each phone of a ring group picks up, declines, lets
    # voicemail take it, is busy or rings out on its own; Twilio bridges the first leg whose
    # whisper ends without <Hangup> and hangs up the others.

    def answer(self, key: str = "1", number: str | None = None) -> Phone:
        """A local (the first ringing, or ``number``) picks up, hears the whisper and presses
        ``key`` ("" for voicemail: nobody presses)."""
        ringing = self.rung(number)
        # The local's leg: Twilio calls it from the line's number (callerId), not the tourist's.
        leg = {"CallSid": "CA" + uuid.uuid4().hex, "From": ringing.caller_id, "To": ringing.number}
        whisper = parse(self.post(ringing.whisper_url, leg))
        gather = whisper.find("Gather")
        if gather is None:  # nothing to accept: the leg is hung up
            self.whispered = [say.text or "" for say in whisper.iter("Say")]
            return self._leg_ended(ringing, "completed")
        self.whispered = [say.text or "" for say in gather.iter("Say")]
        if not key:  # nobody pressed anything (voicemail): Twilio goes past <Gather> and hangs up
            return self._leg_ended(ringing, "completed")
        reply = parse(self.post(gather.get("action", ""), {**leg, "Digits": key}))
        if reply.find("Hangup") is not None:
            self.whispered += [say.text or "" for say in reply.iter("Say")]
            return self._leg_ended(ringing, "completed")
        self.state = "connected"
        for other in self.legs:
            if other is not ringing:
                self._leg_status(other, "canceled")  # Twilio hangs up the other phones
        self.legs = [ringing]
        return self

    def no_answer(self, number: str | None = None) -> Phone:
        """Every phone still ringing rings out (the <Dial>'s timeout), or only ``number``."""
        if number is not None:
            return self._leg_ended(self.rung(number), "no-answer")
        self.rung()
        for leg in list(self.legs):
            self._leg_ended(leg, "no-answer")
        return self

    def busy(self, number: str | None = None) -> Phone:
        return self._leg_ended(self.rung(number), "busy")

    def hang_up(self, after: int = 60) -> Phone:
        """Whoever hangs up first, the call ends ``after`` seconds in."""
        if self.state == "connected":
            self._dial_ended("completed", after)
        elif self.state == "ringing":
            for leg in self.legs:
                self._leg_status(leg, "canceled")
        self.state = "ended"
        self.legs = []
        self.post(
            "/calls/voice/status/", self.params(CallStatus="completed", CallDuration=str(after))
        )
        return self

    # Following TwiML.

    def rung(self, number: str | None = None) -> Ringing:
        """The phone ringing now (the first, or the one with ``number``)."""
        assert self.state == "ringing" and self.legs, f"no phone is ringing ({self.state})"
        if number is None:
            return self.legs[0]
        found = [leg for leg in self.legs if leg.number == number]
        assert found, f"{number} is not ringing"
        return found[0]

    def _leg_status(self, leg: Ringing, status: str) -> None:
        if leg.status_url:
            params = {
                "CallSid": "CA" + uuid.uuid4().hex,
                "ParentCallSid": self.sid,
                "From": leg.caller_id,
                "To": leg.number,
                "CallStatus": status,
            }
            self.post(leg.status_url, params)

    def _leg_ended(self, leg: Ringing, status: str) -> Phone:
        """One phone stopped ringing without taking the call: the others ring on; when none is
        left, the <Dial> is over."""
        self._leg_status(leg, status)
        self.legs = [other for other in self.legs if other is not leg]
        if not self.legs and self.state == "ringing":
            self._dial_ended(status, 0, action=leg.action)
        return self

    def _dial_ended(self, status: str, duration: int, action: str = "") -> Phone:
        action = action or (self.legs[0].action if self.legs else "")
        assert action, "no call was dialled"
        params = self.params(DialCallStatus=status, DialCallDuration=str(duration))
        self.legs = []
        self._run(self.post(action, params))
        return self

    def _run(self, xml: str) -> None:
        self._follow(list(parse(xml)))

    def _follow(self, verbs: list[ET.Element]) -> None:
        for index, verb in enumerate(verbs):
            if verb.tag == "Say":
                self.said.append(verb.text or "")
                self.transcript.append(verb.text or "")
            elif verb.tag == "Gather":
                self.said.extend(say.text or "" for say in verb.iter("Say"))
                self.transcript.extend(say.text or "" for say in verb.iter("Say"))
                self.state = "menu"
                self._gather_action = verb.get("action", "")
                self._gather_input = verb.get("input", "dtmf")
                self._after_gather = verbs[index + 1 :]
                return
            elif verb.tag == "Redirect":
                return self._run(self.post(verb.text or "", self.params()))
            elif verb.tag == "Dial":
                numbers = verb.findall("Number")
                assert numbers, "a <Dial> without a <Number>"
                self.state = "ringing"
                self.legs = [
                    Ringing(
                        number=(number.text or "").strip(),
                        caller_id=verb.get("callerId", ""),
                        whisper_url=number.get("url", ""),
                        action=verb.get("action", ""),
                        status_url=number.get("statusCallback", ""),
                    )
                    for number in numbers
                ]
                return
            elif verb.tag == "Hangup":
                self.state = "ended"
                return
        if self.state not in ("connected",):
            self.state = "ended"  # Twilio hangs up when the TwiML runs out
