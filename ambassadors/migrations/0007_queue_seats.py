# ruff: noqa: S608 - the SQL is built from constant table and column names only, no input
"""The queue seats (``QueueSeat``): one per ambassador, hour of the week their slots touch and
language they speak, kept by triggers so that every writer keeps them right (docs/PERFORMANCE.md,
"A queue that does not age"). The SQL is written out here, frozen with the migration, for
PostgreSQL and SQLite."""

import django.db.models.deletion
from django.db import migrations, models

SEAT = "ambassadors_queueseat"
SLOT = "ambassadors_availabilityslot"
AMBASSADOR = "ambassadors_ambassador"
LANGUAGE = "ambassadors_ambassadorlanguage"
# Mirrors ambassadors.models.ROUTABLE and queue_position() (tests/ambassadors/test_queue_seats.py
# checks they agree): NULL when not routable, else the later of the queue position and the
# pause's end.
NEVER = {
    "postgresql": "'2000-01-01T00:00:00+00:00'::timestamptz",
    "sqlite": "'2000-01-01 00:00:00'",
}
LATER = {"postgresql": "GREATEST", "sqlite": "MAX"}
# A slot lasts 24 hours at most, so it touches at most 25 hours of the week.
OFFSETS = " UNION ALL ".join(f"SELECT {k} AS k" for k in range(25))


def position(vendor: str, row: str) -> str:
    never = NEVER[vendor]
    return (
        f"CASE WHEN {row}.is_active AND {row}.accepting_calls AND {row}.onboarded_at IS NOT NULL"
        f" AND {row}.phone_verified_at IS NOT NULL THEN {LATER[vendor]}("
        f"COALESCE({row}.last_offered_at, {never}), COALESCE({row}.paused_until, {never})) END"
    )


def seats_of(vendor: str, who: str | None) -> str:
    """Insert the seats of ambassador ``who`` (an SQL expression), or of everyone."""
    where = f" AND s.ambassador_id = {who}" if who else ""
    return (
        f"INSERT INTO {SEAT} (ambassador_id, hour, language, position) "
        f"SELECT DISTINCT s.ambassador_id, (s.start_minute / 60 + o.k) % 168, l.language, "
        f"{position(vendor, 'a')} "
        f"FROM {SLOT} s JOIN {AMBASSADOR} a ON a.id = s.ambassador_id "
        f"JOIN {LANGUAGE} l ON l.ambassador_id = s.ambassador_id CROSS JOIN ({OFFSETS}) o "
        f"WHERE s.start_minute / 60 + o.k <= (s.end_minute - 1) / 60{where}"
    )


def refresh(vendor: str, who: str) -> str:
    return f"DELETE FROM {SEAT} WHERE ambassador_id = {who}; {seats_of(vendor, who)};"


WATCHED = (
    "last_offered_at",
    "paused_until",
    "is_active",
    "accepting_calls",
    "onboarded_at",
    "phone_verified_at",
)


def postgresql_sql() -> str:
    vendor = "postgresql"
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in WATCHED)
    return f"""
CREATE FUNCTION ambassadors_seats_of_slot() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN {refresh(vendor, "OLD.ambassador_id")} END IF;
    IF TG_OP <> 'DELETE' THEN {refresh(vendor, "NEW.ambassador_id")} END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER ambassadors_seats_of_slot
    AFTER INSERT OR UPDATE OR DELETE ON {SLOT}
    FOR EACH ROW EXECUTE FUNCTION ambassadors_seats_of_slot();
CREATE TRIGGER ambassadors_seats_of_language
    AFTER INSERT OR UPDATE OR DELETE ON {LANGUAGE}
    FOR EACH ROW EXECUTE FUNCTION ambassadors_seats_of_slot();
CREATE FUNCTION ambassadors_seats_of_ambassador() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {SEAT} SET position = {position(vendor, "NEW")} WHERE ambassador_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER ambassadors_seats_of_ambassador
    AFTER UPDATE OF {", ".join(WATCHED)} ON {AMBASSADOR}
    FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION ambassadors_seats_of_ambassador();
{seats_of(vendor, None)};
-- Which slots cover a minute is a range on two correlated columns: without statistics of the
-- pairs, the planner took a few hundred slots for a few thousand and read a Sunday evening's
-- every free person instead of walking the seats (docs/PERFORMANCE.md).
CREATE STATISTICS slot_minutes_mcv (mcv) ON start_minute, end_minute FROM {SLOT};
ALTER STATISTICS slot_minutes_mcv SET STATISTICS 1000;
"""


def sqlite_sql() -> list[str]:
    vendor = "sqlite"
    return [
        f"CREATE TRIGGER ambassadors_seats_of_new_slot AFTER INSERT ON {SLOT} "
        f"BEGIN {refresh(vendor, 'NEW.ambassador_id')} END",
        f"CREATE TRIGGER ambassadors_seats_of_changed_slot AFTER UPDATE ON {SLOT} "
        f"BEGIN {refresh(vendor, 'OLD.ambassador_id')} {refresh(vendor, 'NEW.ambassador_id')} END",
        f"CREATE TRIGGER ambassadors_seats_of_removed_slot AFTER DELETE ON {SLOT} "
        f"BEGIN {refresh(vendor, 'OLD.ambassador_id')} END",
        f"CREATE TRIGGER ambassadors_seats_of_new_language AFTER INSERT ON {LANGUAGE} "
        f"BEGIN {refresh(vendor, 'NEW.ambassador_id')} END",
        f"CREATE TRIGGER ambassadors_seats_of_changed_language AFTER UPDATE ON {LANGUAGE} "
        f"BEGIN {refresh(vendor, 'OLD.ambassador_id')} {refresh(vendor, 'NEW.ambassador_id')} END",
        f"CREATE TRIGGER ambassadors_seats_of_removed_language AFTER DELETE ON {LANGUAGE} "
        f"BEGIN {refresh(vendor, 'OLD.ambassador_id')} END",
        f"CREATE TRIGGER ambassadors_seats_of_ambassador AFTER UPDATE OF {', '.join(WATCHED)} "
        f"ON {AMBASSADOR} BEGIN UPDATE {SEAT} SET position = {position(vendor, 'NEW')} "
        f"WHERE ambassador_id = NEW.id; END",
        seats_of(vendor, None),
    ]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgresql_sql(), params=None)
    elif vendor == "sqlite":
        for statement in sqlite_sql():
            schema_editor.execute(statement, params=None)
    else:
        raise NotImplementedError(f"Queue seats have no triggers for {vendor}.")


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"DROP TRIGGER ambassadors_seats_of_slot ON {SLOT}; "
            f"DROP TRIGGER ambassadors_seats_of_language ON {LANGUAGE}; "
            f"DROP TRIGGER ambassadors_seats_of_ambassador ON {AMBASSADOR}; "
            "DROP FUNCTION ambassadors_seats_of_slot(); DROP FUNCTION ambassadors_seats_of_ambassador();"
            " DROP STATISTICS slot_minutes_mcv;"
        )
    else:
        for name in (
            "new_slot",
            "changed_slot",
            "removed_slot",
            "new_language",
            "changed_language",
            "removed_language",
            "ambassador",
        ):
            schema_editor.execute(f"DROP TRIGGER ambassadors_seats_of_{name}")


class Migration(migrations.Migration):
    dependencies = [
        ("ambassadors", "0006_communities"),
    ]

    operations = [
        migrations.CreateModel(
            name="QueueSeat",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "ambassador",
                        "hour",
                        "language",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                (
                    "ambassador",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="queue_seats",
                        to="ambassadors.ambassador",
                    ),
                ),
                ("hour", models.PositiveSmallIntegerField()),
                ("language", models.CharField(max_length=8)),
                ("position", models.DateTimeField(null=True)),
            ],
        ),
        migrations.RemoveIndex(
            model_name="ambassador",
            name="ambassador_queue_idx",
        ),
        migrations.AddIndex(
            model_name="queueseat",
            index=models.Index(
                condition=models.Q(("position__isnull", False)),
                fields=["hour", "language", "position", "ambassador"],
                name="queue_seat_walk_idx",
            ),
        ),
        migrations.RunPython(install, uninstall),
    ]
