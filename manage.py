#!/usr/bin/env python
from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concierge.settings")
    if "SECRET_KEY" not in os.environ and "DEBUG" not in os.environ:
        # A developer's command line, not a deployment (which always sets SECRET_KEY; the web
        # server goes through concierge.wsgi, which never assumes this).
        os.environ["DEBUG"] = "1"
        print("manage.py: no SECRET_KEY set, so DEBUG=1 is assumed.", file=sys.stderr)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
