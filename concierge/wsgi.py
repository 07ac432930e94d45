"""The WSGI application gunicorn serves: Django's handler, wrapped by WSGI_MIDDLEWARE (named in
the settings, like MIDDLEWARE, so this project-wide module imports no app): the first listed is
the outermost. The web chat's unchanged polls are answered there, before Django's handler
(docs/webchat.md)."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.utils.module_loading import import_string

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concierge.settings")
django_application = get_wsgi_application()

application = django_application
for wrapper in reversed(settings.WSGI_MIDDLEWARE):
    application = import_string(wrapper)(application)
