from __future__ import annotations

import pytest
from django.test import override_settings


@pytest.mark.django_db
def test_it_reports_a_healthy_database(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_it_answers_503_when_the_broker_is_down(client):
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")
    assert response.json()["database"] == "ok"
