"""Our Twilio credentials go only to Twilio's API host: a recording's audio is fetched by its
SID, whatever URL a (possibly forged) webhook named."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from twilio.rest import Client

from calls.telephony.twilio import TwilioBackend
from concierge.lib.telephony import TelephonyError

RECORDING = "RE" + "a" * 32


class Recorder(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: list[tuple[str, str]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    server: Recorder

    def do_GET(self) -> None:
        self.server.requests.append((self.path, self.headers.get("Authorization", "")))
        self.send_response(200)
        self.send_header("Content-Type", "audio/mpeg")
        self.send_header("Content-Length", "3")
        self.end_headers()
        self.wfile.write(b"ID3")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def servers() -> Iterator[tuple[Recorder, Recorder]]:
    pair = (Recorder(), Recorder())
    for server in pair:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield pair
    for server in pair:
        server.shutdown()
        server.server_close()


def test_the_audio_comes_from_twilios_api_never_from_the_url_given(servers):
    api, elsewhere = servers
    client = Client("AC" + "0" * 32, "secret-token")
    client.api.base_url = api.url
    backend = TwilioBackend(client)
    audio, kind = backend.fetch_recording(sid=RECORDING, url=f"{elsewhere.url}/steal")
    assert (audio, kind) == (b"ID3", "audio/mpeg")
    assert elsewhere.requests == []
    ((path, auth),) = api.requests
    assert path == f"/2010-04-01/Accounts/AC{'0' * 32}/Recordings/{RECORDING}.mp3"
    assert auth.startswith("Basic ")


def test_a_malformed_recording_sid_is_not_fetched(servers):
    api, _elsewhere = servers
    client = Client("AC" + "0" * 32, "secret-token")
    client.api.base_url = api.url
    with pytest.raises(TelephonyError):
        TwilioBackend(client).fetch_recording(sid="../../Calls", url="")
    assert api.requests == []
