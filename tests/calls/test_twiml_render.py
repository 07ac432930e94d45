"""The TwiML we answer is written without ElementTree (calls.twilio.render): Twilio must get
exactly what the twilio library would have written, whatever our prompts, names and URLs hold."""

from __future__ import annotations

from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

from calls.twilio.render import render


def test_a_menu_with_every_kind_of_character_is_written_as_the_library_writes_it():
    response = VoiceResponse()
    gather = response.gather(
        num_digits=1,
        action='/calls/voice/x/menu/region/?try=1&page=2&q="a"<b>\n\t\r',
        method="POST",
        timeout=6,
        barge_in=True,
        input="dtmf speech",
        hints="Nice, Côte d'Azur, Mont Saint-Michel, <&>",
    )
    gather.say('Für Deutsch & <drücken> "Sie" 1.\n', language="de-DE")
    gather.say("中文服务，请按1。", language="cmn-CN", voice="Polly.Zhiyu")
    gather.say("")
    response.redirect("/calls/voice/x/menu/region/?try=1&page=2", method="POST")
    dial = response.dial(caller_id="+33199000000", answer_on_bridge=True, timeout=20, action="/d")
    dial.number("+33612340001", url="/w", status_callback="/s", status_callback_event="completed")
    response.append("some text between verbs & after")
    response.hangup()
    assert render(response) == str(response)


def test_empty_and_messaging_documents_are_written_as_the_library_writes_them():
    texts = MessagingResponse()
    texts.message("Thank you! A local will text you back <soon> & gladly.")
    for document in (VoiceResponse(), MessagingResponse(), texts):
        assert render(document) == str(document)
