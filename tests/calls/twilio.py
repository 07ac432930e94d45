"""Tests talk to our webhooks the way Twilio does: form-encoded POSTs, properly signed."""

from __future__ import annotations

from django.conf import settings
from django.test import Client

from calls.simulator.engine import Phone
from calls.twilio.webhooks import sign


def signed_post(client: Client, path: str, params: dict[str, str]):
    signature = sign(settings.PUBLIC_BASE_URL + path, params)
    return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)


def twilio(client: Client):
    """A ``post`` for the engine: signed, and failing loudly on anything but 200 TwiML."""

    def post(path: str, params: dict[str, str]) -> str:
        response = signed_post(client, path, params)
        assert response.status_code == 200, (path, response.status_code)
        assert response["Content-Type"].startswith("text/xml")
        return response.content.decode()

    return post


def phone(client: Client, *, to: str = "+33199000000", from_: str = "+4915112345678") -> Phone:
    return Phone(post=twilio(client), to=to, from_=from_)


def text(client: Client, from_: str, body: str, *, to: str = "+33199000000", sid: str = ""):
    """An SMS to a line, as Twilio posts it; returns the MessageSid."""
    import uuid

    sid = sid or "SM" + uuid.uuid4().hex
    params = {"MessageSid": sid, "From": from_, "To": to, "Body": body, "NumSegments": "1"}
    response = signed_post(client, "/calls/sms/incoming/", params)
    assert response.status_code == 200
    return sid


def whatsapp(
    client: Client,
    from_: str,
    body: str,
    *,
    to: str = "+33199000000",
    sid: str = "",
    media: int = 0,
):
    """A WhatsApp message to a line, as Twilio posts it on the same Messaging webhook
    (``whatsapp:`` addresses, the sender's WhatsApp id and profile name, any attachments);
    returns the MessageSid."""
    import uuid

    sid = sid or "SM" + uuid.uuid4().hex
    params = {
        "MessageSid": sid,
        "SmsMessageSid": sid,
        "AccountSid": "AC" + "0" * 32,
        "From": f"whatsapp:{from_}",
        "To": f"whatsapp:{to}",
        "Body": body,
        "NumSegments": "1",
        "NumMedia": str(media),
        "ProfileName": "Hanna",
        "WaId": from_.lstrip("+"),
        "MessageType": "image" if media else "text",
        "ApiVersion": "2010-04-01",
    }
    for n in range(media):
        params[f"MediaUrl{n}"] = (
            f"https://api.twilio.com/2010-04-01/Accounts/AC/Messages/{sid}/Media/ME{n}"
        )
        params[f"MediaContentType{n}"] = "image/jpeg"
    response = signed_post(client, "/calls/sms/incoming/", params)
    assert response.status_code == 200
    return sid
