"""A local mock of Twilio's REST API: Stoplight Prism serving Twilio's published OpenAPI file.

Prism answers like Twilio and rejects (422) any request the spec does not allow, so the real
``twilio`` backend is checked against the real contract without reaching Twilio.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

PRISM_DIR = Path(__file__).resolve().parents[2] / "tools" / "prism"
PRISM = PRISM_DIR / "node_modules" / ".bin" / "prism"
SPECS = PRISM_DIR / "node_modules/@twilio/cli-core/src/services/twilio-api"
SPEC = SPECS / "twilio_api_v2010.json"
# Messaging v2, where the Senders API lives (WhatsApp senders and their webhooks).
MESSAGING_SPEC = SPECS / "twilio_messaging_v2.json"

SMS_SIMULATOR_URL = "/calls/simulator/sms/"
# The simulated tourist's phone: a German mobile, so the simulator guesses German.
SIMULATED_TOURIST = "+4915112345678"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def prism_url(tmp_path_factory):
    """Prism that also refuses to answer with a body its spec forbids (``--errors``)."""
    yield from run_prism(tmp_path_factory, "--errors")


@pytest.fixture(scope="session")
def prism_examples_url(tmp_path_factory):
    """Prism that checks our requests as strictly (a request the spec refuses is a 422) but
    answers with the spec's own examples even where they break its schema: Twilio's examples of
    incoming phone numbers do (empty application SIDs, relative URIs)."""
    yield from run_prism(tmp_path_factory)


@pytest.fixture(scope="session")
def prism_messaging_url(tmp_path_factory):
    """Prism serving Twilio's Messaging v2 description (the Senders API), with the spec's own
    examples as answers, as ``prism_examples_url``: requests are checked as strictly."""
    yield from run_prism(tmp_path_factory, spec=MESSAGING_SPEC)


def run_prism(tmp_path_factory, *flags: str, spec: Path = SPEC):
    if not PRISM.exists():
        message = "Prism is not installed: npm ci --prefix tools/prism (make test does it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("prism") / "prism.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(PRISM), "mock", str(spec), "--host", "127.0.0.1", "--port", str(port), *flags],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_answering(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_answering(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/2010-04-01/Accounts.json", timeout=1)  # noqa: S310
            return
        except urllib.error.HTTPError:
            return  # answering, even if with an error (401 without credentials): it is up
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Prism did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.25)


@pytest.fixture
def national_line(db):
    from calls.models import PhoneLine

    # The full menu, one local at a time: what most flow tests walk through (the short path
    # and ring groups, the defaults, have tests of their own).
    return PhoneLine.objects.create(
        number="+33199000000",
        label="National",
        ivr_languages="en,fr,de,es,it",
        full_menu=True,
        ring_group_size=1,
    )


@pytest.fixture
def premium_line(db):
    from calls.models import LineTier, PhoneLine

    return PhoneLine.objects.create(
        number="+33199000001",
        label="Premium",
        tier=LineTier.PREMIUM,
        records_calls=True,
        ivr_languages="en,fr",
        full_menu=True,
        ring_group_size=1,
    )


@pytest.fixture
def sms_simulator(
    client, staff, national_line, django_capture_on_commit_callbacks
) -> Callable[[str], Callable[..., None]]:
    """Staff in the SMS simulator on the national line, the simulated tourist's phone set to a
    channel (``sms``, ``whatsapp``, ``web``): ``sms_simulator("web")`` returns ``act(**form)``,
    which posts one of the page's actions and runs what it queued for after the commit."""
    client.force_login(staff)

    def act(**data: str) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(SMS_SIMULATOR_URL, data)
        assert response.status_code == 302, response.status_code

    def on(channel: str) -> Callable[..., None]:
        phones = {"line": str(national_line.pk), "tourist": SIMULATED_TOURIST, "local": ""}
        act(action="phones", channel=channel, **phones)
        return act

    return on


@pytest.fixture
def cache_down():
    """The shared cache (Redis in production) unreachable: a port nothing listens on."""
    import environ
    from django.test import override_settings

    down = {"default": environ.Env.cache_url_config(f"redis://127.0.0.1:{free_port()}/0")}
    with override_settings(CACHES=down):
        yield


@pytest.fixture
def early_line(db):
    """A national line that rings its locals during the greeting, two phones in its group."""
    from calls.models import PhoneLine

    return PhoneLine.objects.create(
        number="+33199000000", label="National", ring_group_size=2, rings_early=True
    )


@pytest.fixture
def locals_(db):
    """Four English-speaking locals, available around the clock (a module may define its own)."""
    from ..factories import every_day, make_ambassador

    return [
        make_ambassador(f"l{n}@example.com", name=f"L{n}", languages=("en",), slots=every_day())
        for n in range(4)
    ]
