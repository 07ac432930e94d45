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
    number: str
    caller_id: str
    whisper_url: str
    action: str


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
    ringing: Ringing | None = None
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
            "ringing": vars(self.ringing) if self.ringing else None,
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
        phone.ringing = Ringing(**data["ringing"]) if data["ringing"] else None
        phone.whispered = list(data["whispered"])
        phone.transcript = list(data.get("transcript", phone.said))
        return phone

    # The ambassador's side of the <Dial>.

    def answer(self, key: str = "1") -> Phone:
        """The ambassador picks up, hears the whisper and presses ``key``."""
        ringing = self.rung()
        # The local's leg: Twilio calls it from the line's number (callerId), not the tourist's.
        leg = {"CallSid": "CA" + uuid.uuid4().hex, "From": ringing.caller_id, "To": ringing.number}
        whisper = parse(self.post(ringing.whisper_url, leg))
        gather = whisper.find("Gather")
        if gather is None:  # nothing to accept: the leg is hung up
            return self._dial_ended("completed", 0)
        self.whispered = [say.text or "" for say in gather.iter("Say")]
        if not key:  # nobody pressed anything (voicemail): Twilio goes past <Gather> and hangs up
            return self._dial_ended("no-answer", 0)
        reply = parse(self.post(gather.get("action", ""), {**leg, "Digits": key}))
        if reply.find("Hangup") is None:
            self.state = "connected"
            return self
        return self._dial_ended("completed", 0)

    def no_answer(self) -> Phone:
        self.rung()
        return self._dial_ended("no-answer", 0)

    def busy(self) -> Phone:
        self.rung()
        return self._dial_ended("busy", 0)

    def hang_up(self, after: int = 60) -> Phone:
        """Whoever hangs up first, the call ends ``after`` seconds in."""
        if self.state == "connected":
            self._dial_ended("completed", after)
        self.state = "ended"
        self.post(
            "/calls/voice/status/", self.params(CallStatus="completed", CallDuration=str(after))
        )
        return self

    # Following TwiML.

    def rung(self) -> Ringing:
        """The phone ringing now (the call must be ringing)."""
        assert self.state == "ringing" and self.ringing, f"no phone is ringing ({self.state})"
        return self.ringing

    def _dial_ended(self, status: str, duration: int) -> Phone:
        ringing = self.rung() if self.state == "ringing" else self.ringing
        assert ringing is not None, "no call was dialled"
        action = ringing.action
        params = self.params(DialCallStatus=status, DialCallDuration=str(duration))
        self.ringing = None
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
                number = verb.find("Number")
                assert number is not None, "a <Dial> without a <Number>"
                self.state = "ringing"
                self.ringing = Ringing(
                    number=(number.text or "").strip(),
                    caller_id=verb.get("callerId", ""),
                    whisper_url=number.get("url", ""),
                    action=verb.get("action", ""),
                )
                return
            elif verb.tag == "Hangup":
                self.state = "ended"
                return
        if self.state not in ("connected",):
            self.state = "ended"  # Twilio hangs up when the TwiML runs out
