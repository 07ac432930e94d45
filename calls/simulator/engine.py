"""Plays Twilio's part: follows our TwiML the way Twilio would, sending signed webhooks.

The call simulator and the end-to-end tests both drive calls through this engine, so what they
exercise is exactly the HTTP contract Twilio sees. ``post(path, params)`` sends one signed request
and returns the TwiML text; it is given by the caller (the Django test client, or the simulator).

Calls our server places through the REST API (a line ringing during the greeting) are read from
the fake backends' record (calls.telephony.fake_calls), as Twilio would know them: they ring
while the caller waits in an <Enqueue>, whose waitUrl TwiML loops (<Gather>, <Pause>,
<Redirect>, <Leave>); a local whose whisper answers <Dial><Queue> is bridged to the caller.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from calls.telephony import fake_calls

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
    sid: str = ""  # a call placed through the REST API (rung during the greeting)


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
    # In an <Enqueue>: its action and waitUrl, and the call's own path (to know its legs).
    queued: bool = False
    _queue_action: str = ""
    _wait_url: str = ""
    _call_path: str = ""
    _placed_seen: int = 0
    _ended_seen: int = 0
    _after_pause: list[ET.Element] = field(default_factory=list)

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

    def hold(self) -> Phone:
        """The caller holds in their queue: Twilio goes on past the <Pause>."""
        assert self.state == "holding", f"not holding ({self.state})"
        self._follow(self._after_pause)
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
            "queued": self.queued,
            "queue_action": self._queue_action,
            "wait_url": self._wait_url,
            "call_path": self._call_path,
            "after_pause": [ET.tostring(verb, encoding="unicode") for verb in self._after_pause],
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
        phone.queued = bool(data.get("queued"))
        phone._queue_action = data.get("queue_action", "")
        phone._wait_url = data.get("wait_url", "")
        phone._call_path = data.get("call_path", "")
        phone._after_pause = [parse(verb) for verb in data.get("after_pause", [])]
        phone._placed_seen, phone._ended_seen = len(fake_calls.placed), len(fake_calls.ended)
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
        if ringing.sid:
            leg["CallSid"] = ringing.sid
        reply = parse(self.post(gather.get("action", ""), {**leg, "Digits": key}))
        if reply.find("Hangup") is not None:
            self.whispered += [say.text or "" for say in reply.iter("Say")]
            return self._leg_ended(ringing, "completed")
        bridge = reply.find("Dial")
        if ringing.sid and bridge is not None and bridge.find("Queue") is not None:
            # The local dials the caller's queue: bridged; the server hangs up the others.
            ringing.action = bridge.get("action", "")
            self.state, self.queued = "connected", False
            self._sync()
            self.legs = [ringing]
            return self
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
        queue_result = "bridged" if self._queue_action and self.state == "connected" else ""
        if self.state == "connected":
            self._dial_ended("completed", after)
        elif self.state == "ringing":
            for leg in self.legs:
                self._leg_status(leg, "canceled")
        elif self.queued:
            queue_result = "hangup"
        self.state, self.queued = "ended", False
        if queue_result:  # the <Enqueue>'s action: the caller left the queue, or the bridge
            self.post(self._queue_action, self.params(QueueResult=queue_result))
        self.post(
            "/calls/voice/status/", self.params(CallStatus="completed", CallDuration=str(after))
        )
        self._sync()  # the phones the server hung up: their status callbacks
        self.legs = []
        return self

    # Following TwiML.

    def rung(self, number: str | None = None) -> Ringing:
        """The phone ringing now (the first, or the one with ``number``)."""
        ringing = self.state == "ringing" or self.queued
        assert ringing and self.legs, f"no phone is ringing ({self.state})"
        if number is None:
            return self.legs[0]
        found = [leg for leg in self.legs if leg.number == number]
        assert found, f"{number} is not ringing"
        return found[0]

    def _leg_status(self, leg: Ringing, status: str) -> None:
        if leg.status_url:
            params = {
                "CallSid": leg.sid or "CA" + uuid.uuid4().hex,
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
        if leg.sid:  # a call we placed: no <Dial> to end; the server may ring the next ones
            self._sync()
            return self
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
        self._sync()

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
                self.state, self.queued = "ended", False
                return
            elif verb.tag == "Enqueue":
                self.queued = True
                self._queue_action = verb.get("action", "")
                self._wait_url = verb.get("waitUrl", "")
                self._call_path = self._wait_url.split("queue/")[0]
                self._placed_seen = self._ended_seen = 0
                self._sync()
                return self._run(self.post(self._wait_url, self.params(QueueTime="0")))
            elif verb.tag == "Pause" and self.queued:
                self.state = "holding"
                self._after_pause = verbs[index + 1 :]
                return
            elif verb.tag == "Leave" and self.queued:
                action, self._queue_action = self._queue_action, ""
                self.queued, self.state = False, "ended"
                return self._run(self.post(action, self.params(QueueResult="leave")))
        if self.queued and self.state != "connected":  # the wait TwiML ran out: again
            return self._run(self.post(self._wait_url, self.params()))
        if self.state not in ("connected",):
            self.state = "ended"  # Twilio hangs up when the TwiML runs out

    def _sync(self) -> None:
        """The calls our server placed for this call (they ring now) and those it hung up
        (their status callbacks: canceled), as Twilio would see them."""
        if not self._call_path:
            return
        known = {leg.sid for leg in self.legs}
        for placed in fake_calls.placed[self._placed_seen :]:
            if self._call_path in placed.url and placed.sid not in known:
                self.legs.append(
                    Ringing(
                        number=placed.to,
                        caller_id=placed.from_,
                        whisper_url=_path(placed.url),
                        action="",
                        status_url=_path(placed.status_callback),
                        sid=placed.sid,
                    )
                )
        self._placed_seen = len(fake_calls.placed)
        hung_up = set(fake_calls.ended[self._ended_seen :])
        self._ended_seen = len(fake_calls.ended)
        for leg in [leg for leg in self.legs if leg.sid in hung_up]:
            self.legs.remove(leg)
            self._leg_status(leg, "canceled")


def _path(url: str) -> str:
    """The path and query of an absolute URL (what the engine posts to)."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
