"""``python manage.py seed_demo``: idempotent demo data, gathered from every app.

Apps may only import downwards (concierge <- ambassadors <- calls), so this command never imports
the apps above it: it looks, in INSTALLED_APPS order, for a ``<app>.demo`` module with a
``seed(*, stdout) -> list[tuple[str, str]]`` function returning the (login, role) pairs it made.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from concierge.lib import telephony
from concierge.models import User

DEMO_PASSWORD = "concierge-demo"  # noqa: S105 - public by design (DESIGN.md), demo accounts only

Seeder = Callable[..., list[tuple[str, str]]]


def demo_password_hash() -> str:
    """Hash the demo password once per run: hashing is deliberately slow, the accounts many."""
    return make_password(DEMO_PASSWORD)


def demo_user(email: str, *, password_hash: str, **fields: Any) -> User:
    """A demo login with a verified e-mail address and the demo password (reset on every run,
    so the logins the command prints always work)."""
    user, _created = User.objects.update_or_create(
        email=email, defaults={"password": password_hash, "is_active": True, **fields}
    )
    # allauth allows one primary address per user: demote any the account may have added.
    EmailAddress.objects.filter(user=user).exclude(email=email).update(primary=False)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def demo_modules() -> Iterator[ModuleType]:
    """The demo modules of the project's own apps (top-level packages next to manage.py)."""
    for app in apps.get_app_configs():
        if Path(app.path).parent != Path(settings.BASE_DIR):
            continue
        name = f"{app.name}.demo"
        if importlib.util.find_spec(name) is not None:
            yield importlib.import_module(name)


class Command(BaseCommand):
    help = "Create or refresh the demo data and print the demo logins (never with real Twilio)."

    def handle(self, *args: Any, **options: Any) -> None:
        if telephony.get_backend().reaches_real_phones:
            raise CommandError(
                _(
                    "Refusing to load demo data: the %(backend)s telephony backend reaches real "
                    "phones, and the demo numbers must never be called or texted for real. Use "
                    "the sandbox backend (unset TELEPHONY_BACKEND and the TWILIO_* variables)."
                )
                % {"backend": settings.TELEPHONY_BACKEND}
            )
        logins: list[tuple[str, str]] = []
        with transaction.atomic():
            for module in demo_modules():
                seed: Seeder = module.seed
                logins.extend(seed(stdout=self.stdout))
        self._print_logins(logins)

    def _print_logins(self, logins: list[tuple[str, str]]) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo data ready. Every demo password is %(password)s")
                % {"password": DEMO_PASSWORD}
            )
        )
        width = max((len(login) for login, _role in logins), default=0)
        for login, role in logins:
            self.stdout.write(f"  {login.ljust(width)}  {role}")
