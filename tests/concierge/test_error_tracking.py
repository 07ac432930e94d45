"""With SENTRY_DSN set, an error is reported to the tracker — and no phone number, request body
or cookie goes with it. A real sentry-sdk sends to a local HTTP server standing in for Sentry."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

REPORTER = """
import django, logging
django.setup()
import sentry_sdk
from django.test import RequestFactory

def ring(caller_number):
    raise ValueError(f"cannot ring {caller_number}")

request = RequestFactory().post(
    "/calls/voice/incoming/", {"From": "+4915112345678", "Body": "my number is +33612345678"}
)
try:
    ring("+4915112345678")
except ValueError:
    sentry_sdk.capture_exception()
sentry_sdk.flush(timeout=10)
"""


class Collector(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Receive)
        self.bodies: list[bytes] = []


class Receive(BaseHTTPRequestHandler):
    server: Collector

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.server.bodies.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


def test_an_error_reaches_the_tracker_without_a_phone_number():
    server = Collector()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "concierge.settings",
            "DEBUG": "1",
            "SENTRY_DSN": f"http://publickey@127.0.0.1:{port}/1",
            "SENTRY_ENVIRONMENT": "test",
        }
        env.pop("DATABASE_URL", None)
        done = subprocess.run(
            [sys.executable, "-c", REPORTER],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
    finally:
        server.shutdown()
    sent = b"\n".join(server.bodies).decode()
    events = [json.loads(line) for line in sent.splitlines() if '"exception"' in line]
    assert events, "no error reached the tracker"
    (event,) = events
    assert event["environment"] == "test"
    assert event["exception"]["values"][0]["value"] == "cannot ring [number]"
    assert "4915112345678" not in sent  # not in the message, nor in the frame's local variables
    assert "33612345678" not in sent
