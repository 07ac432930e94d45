# ruff: noqa: S608 - the SQL is built from constant table and column names only, no input
"""Cheap claims (docs/PERFORMANCE.md, "Cheap claims"): on PostgreSQL a claim moves only the seats
of the hours it names (the hour of the claim and the next) and records the ambassador in
``StaleSeats``; beat moves the rest within a minute, and a walk that meets a stale seat first
refreshes it. The claim names its hours in the transaction-local setting
``concierge.claim_hours`` ("19,20"), set by the claim's own statement
(``ambassadors.services.queue``); any other change of the queue position, and any change of what
makes an ambassador routable, still rewrites every seat at once, as in ``0007_queue_seats``.
SQLite keeps the triggers of ``0007`` (every claim moves every seat). The SQL is frozen here."""

import django.db.models.deletion
from django.db import migrations, models

SEAT = "ambassadors_queueseat"
STALE = "ambassadors_staleseats"
NEVER = "'2000-01-01T00:00:00+00:00'::timestamptz"
# What makes a change a claim and nothing else: these stay as they were.
OTHERS = ("paused_until", "is_active", "accepting_calls", "onboarded_at", "phone_verified_at")


def position(row: str) -> str:
    """Mirrors 0007's position() and ambassadors.models.seat_position()."""
    return (
        f"CASE WHEN {row}.is_active AND {row}.accepting_calls AND {row}.onboarded_at IS NOT NULL"
        f" AND {row}.phone_verified_at IS NOT NULL THEN GREATEST("
        f"COALESCE({row}.last_offered_at, {NEVER}), COALESCE({row}.paused_until, {NEVER})) END"
    )


ONLY_CLAIMED = " AND ".join(f"OLD.{c} IS NOT DISTINCT FROM NEW.{c}" for c in OTHERS)

LAZY = f"""
CREATE OR REPLACE FUNCTION ambassadors_seats_of_ambassador() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    hours text := COALESCE(current_setting('concierge.claim_hours', true), '');
BEGIN
    IF hours <> '' AND {ONLY_CLAIMED} THEN
        -- First the record of what is owed, then the seats: beat deletes the record before it
        -- rewrites the seats, so whichever of the two comes second sees the other's work.
        INSERT INTO {STALE} (ambassador_id, since) VALUES (NEW.id, now())
            ON CONFLICT (ambassador_id) DO UPDATE SET since = LEAST({STALE}.since, EXCLUDED.since);
        UPDATE {SEAT} SET position = {position("NEW")}
            WHERE ambassador_id = NEW.id AND hour = ANY (string_to_array(hours, ',')::smallint[]);
    ELSE
        UPDATE {SEAT} SET position = {position("NEW")} WHERE ambassador_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;
"""

EAGER = f"""
CREATE OR REPLACE FUNCTION ambassadors_seats_of_ambassador() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {SEAT} SET position = {position("NEW")} WHERE ambassador_id = NEW.id;
    RETURN NULL;
END $$;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(LAZY, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(EAGER, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("ambassadors", "0008_open_conversations"),
    ]

    operations = [
        migrations.CreateModel(
            name="StaleSeats",
            fields=[
                (
                    "ambassador",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="ambassadors.ambassador",
                    ),
                ),
                ("since", models.DateTimeField()),
            ],
        ),
        migrations.RunPython(install, uninstall),
    ]
