"""The change log is stored as data and read in the reader's language; the entries written as
English sentences before are read back into data by the migration."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime

import pytest
import time_machine
from django.apps import apps
from django.utils import translation

from concierge import rotas
from concierge.models import Assignment, RotaChange

from .people import NOW, assign

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module("concierge.migrations.0006_holidays_closures")


def test_a_manager_reads_the_change_log_in_french(client, team):
    with time_machine.travel(NOW, tick=False):
        assign(client, team, team.manager_a, team.advisor_a)
        assignment = Assignment.objects.get()
        rotas.shift_offer(assignment=assignment, by=team.advisor_a)
        client.force_login(team.manager_b.user)
        client.cookies["django_language"] = "fr"
        page = client.get(f"/rotas/{team.network.pk}/2026/6/").text
    assert "Advisor-A\u00a0: affectation à la permanence du lundi 1 juin, 18:00" in page
    assert "Advisor-A propose sa permanence du lundi 1 juin, 18:00" in page
    assert "Monday" not in page.split("Dernières modifications")[1]
    change = RotaChange.objects.get(action="assign")
    assert change.data == {"advisor": "Advisor-A", "starts_at": "2026-06-01T16:00:00+00:00"}
    assert change.description == "Advisor-A assigned to Monday 1 June, 18:00"


def test_a_hand_over_reads_in_both_languages(team):
    with time_machine.travel(NOW, tick=False):
        assignment = Assignment.objects.create(shift=team.shift, membership=team.advisor_a)
        offer = rotas.shift_offer(assignment=assignment, by=team.advisor_a)
        rotas.shift_take(offer=offer, by=team.advisor_b)
        rotas.shift_offer_decide(offer=offer, by=team.coordinator, approve=True)
    lines = {}
    for language in ("en", "fr"):
        with translation.override(language):
            lines[language] = [c.description for c in rotas.selectors.latest_changes(team.network)]
    assert lines["en"][0] == "Monday 1 June, 18:00 handed from Advisor-A to Advisor-B"
    assert lines["fr"][0] == (
        "Permanence du lundi 1 juin, 18:00 transmise par Advisor-A à Advisor-B"
    )
    assert lines["fr"][1] == (
        "Advisor-B reprendrait la permanence du lundi 1 juin, 18:00 (en attente de validation)"
    )


def test_the_migration_reads_old_sentences_back_into_data(team):
    old = RotaChange.objects.create(
        network=team.network,
        actor=team.manager_a.user,
        action="assign",
        description="Conseiller 3 assigned to Sun 06 Dec 10:00",
    )
    RotaChange.objects.filter(pk=old.pk).update(created_at=datetime(2026, 11, 28, tzinfo=UTC))
    odd = RotaChange.objects.create(
        network=team.network, actor=None, action="invite", description="X invited y"
    )
    MIGRATION.to_data(apps, None)
    old.refresh_from_db()
    odd.refresh_from_db()
    assert old.data == {"advisor": "Conseiller 3", "starts_at": "2026-12-06T09:00:00+00:00"}
    assert odd.data == {}
    with translation.override("fr"):
        lines = [c.description for c in rotas.selectors.latest_changes(team.network)]
    assert "Conseiller 3\u00a0: affectation à la permanence du dimanche 6 décembre, 10:00" in lines
    assert "X invited y" in lines  # what does not parse keeps its sentence
