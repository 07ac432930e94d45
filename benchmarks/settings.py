"""Settings of the web processes the load benchmark starts: the project's, plus a bare view."""

import os

from concierge.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
LEAN_PATH_PREFIXES = ["/calls/voice/", "/calls/sms/", "/bench/"]  # /bench/lean/ (urls.py)

# The benchmark places its calls at an instant of the generated week (BENCH_AT, ISO 8601), not at
# whatever hour the machine's clock says: availability depends on the hour. Started here, in
# gunicorn's master before it forks, so every worker shares the travelled clock.
if _at := os.environ.get("BENCH_AT"):
    from datetime import datetime

    import time_machine

    time_machine.travel(datetime.fromisoformat(_at), tick=True).start()
