"""Public holidays on rota rules, closure days, and the change log as data: the entries written
as English sentences before are read back into data, so they too are shown in the reader's
language (an entry that does not parse keeps its sentence)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

WHEN = r"(?P<when>\w{3} \d{2} \w{3} \d{2}:\d{2})"
NAME = r"(?P<advisor>.+)"
PATTERNS = {
    "assign": rf"^{NAME} assigned to {WHEN}$",
    "unassign": rf"^{NAME} taken off {WHEN}$",
    "offer": rf"^{NAME} offers {WHEN}$",
    "take": rf"^{NAME} would take {WHEN} \(waiting for approval\)$",
    "refuse": rf"^Hand-over of {WHEN} refused$",
    "hand-over": rf"^{WHEN} handed from (?P<from>.+) to (?P<to>.+)$",
}


def _starts_at(when: str, written: datetime) -> str:
    """ "Mon 01 Jun 18:00" had no year: the one that puts it nearest to when it was written."""
    tz = ZoneInfo(settings.DESTINATION_TIME_ZONE)
    local = written.astimezone(tz)
    candidates = []
    for year in (local.year - 1, local.year, local.year + 1):
        try:
            naive = datetime.strptime(f"{year} {when[4:]}", "%Y %d %b %H:%M")
        except ValueError:
            continue
        candidates.append(naive.replace(tzinfo=tz))
    nearest = min(candidates, key=lambda at: abs(at - local))
    return nearest.astimezone(ZoneInfo("UTC")).isoformat()


def to_data(apps: Any, schema_editor: Any) -> None:
    RotaChange = apps.get_model("concierge", "RotaChange")
    for change in RotaChange.objects.filter(data={}).iterator():
        pattern = PATTERNS.get(change.action)
        found = re.match(pattern, change.description) if pattern else None
        if found is None:
            continue
        data = {k: v for k, v in found.groupdict().items() if k != "when"}
        data["starts_at"] = _starts_at(found["when"], change.created_at)
        change.data = data
        change.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("concierge", "0005_notices"),
    ]

    operations = [
        migrations.AddField(
            model_name="rotachange",
            name="data",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="rotarule",
            name="on_holidays",
            field=models.CharField(
                choices=[
                    ("usual", "As on any other day"),
                    ("skip", "No shift on public holidays"),
                    ("add", "Also on public holidays, whatever the day of the week"),
                ],
                default="usual",
                max_length=8,
                verbose_name="on public holidays",
            ),
        ),
        migrations.CreateModel(
            name="Closure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField(verbose_name="day")),
                ("reason", models.CharField(blank=True, max_length=120, verbose_name="reason")),
                (
                    "network",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="closures",
                        to="concierge.officenetwork",
                    ),
                ),
                (
                    "office",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="closures",
                        to="concierge.touristoffice",
                    ),
                ),
            ],
            options={
                "verbose_name": "closure",
                "verbose_name_plural": "closures",
                "ordering": ["day"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("network", "office", "day"), name="one_closure_per_office_and_day"
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("office__isnull", True)),
                        fields=("network", "day"),
                        name="one_network_closure_a_day",
                    ),
                ],
            },
        ),
        migrations.RunPython(to_data, migrations.RunPython.noop),
    ]
