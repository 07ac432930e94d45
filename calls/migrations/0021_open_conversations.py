# ruff: noqa: S608 - the SQL is built from constant table and column names only, no input
"""The open-conversation counts (``ambassadors.OpenConversations``), kept by triggers on the
conversations so that every writer keeps them right and they cannot drift: a conversation
counts for its local while its status is ``open`` (docs/PERFORMANCE.md, "Texts as fast as
calls"). Increments under the count row's lock, so concurrent claims add up. The SQL is written
out here, frozen with the migration, for PostgreSQL and SQLite."""

from django.db import migrations

COUNT = "ambassadors_openconversations"
CONVERSATION = "calls_conversation"
OPEN = "'open'"
CHANGED = (
    "OLD.status IS DISTINCT FROM NEW.status OR OLD.responder_id IS DISTINCT FROM NEW.responder_id"
)
IGNORE = {"postgresql": ("INSERT", " ON CONFLICT DO NOTHING"), "sqlite": ("INSERT OR IGNORE", "")}


def add(vendor: str, row: str) -> str:
    """Count ``row`` (NEW) for its local if it is open."""
    insert, conflict = IGNORE[vendor]
    return (
        f"{insert} INTO {COUNT} (ambassador_id, held) SELECT {row}.responder_id, 0 "
        f"WHERE {row}.status = {OPEN} AND {row}.responder_id IS NOT NULL{conflict}; "
        f"UPDATE {COUNT} SET held = held + 1 "
        f"WHERE ambassador_id = {row}.responder_id AND {row}.status = {OPEN};"
    )


def remove(row: str) -> str:
    """Stop counting ``row`` (OLD) for its local if it was open."""
    return (
        f"UPDATE {COUNT} SET held = held - 1 "
        f"WHERE ambassador_id = {row}.responder_id AND {row}.status = {OPEN};"
    )


FILL = (
    f"INSERT INTO {COUNT} (ambassador_id, held) SELECT responder_id, COUNT(*) FROM {CONVERSATION} "
    f"WHERE status = {OPEN} AND responder_id IS NOT NULL GROUP BY responder_id"
)


def postgresql_sql() -> str:
    vendor = "postgresql"
    return f"""
CREATE FUNCTION calls_open_conversations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN {remove("OLD")} END IF;
    IF TG_OP <> 'DELETE' THEN {add(vendor, "NEW")} END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER calls_open_conversations_kept
    AFTER INSERT OR DELETE ON {CONVERSATION}
    FOR EACH ROW EXECUTE FUNCTION calls_open_conversations();
CREATE TRIGGER calls_open_conversations_changed
    AFTER UPDATE OF status, responder_id ON {CONVERSATION}
    FOR EACH ROW WHEN ({CHANGED}) EXECUTE FUNCTION calls_open_conversations();
DELETE FROM {COUNT};
{FILL};
"""


def sqlite_sql() -> list[str]:
    vendor = "sqlite"
    changed = CHANGED.replace("IS DISTINCT FROM", "IS NOT")
    return [
        f"CREATE TRIGGER calls_open_conversations_new AFTER INSERT ON {CONVERSATION} "
        f"BEGIN {add(vendor, 'NEW')} END",
        f"CREATE TRIGGER calls_open_conversations_changed AFTER UPDATE OF status, responder_id "
        f"ON {CONVERSATION} WHEN {changed} BEGIN {remove('OLD')} {add(vendor, 'NEW')} END",
        f"CREATE TRIGGER calls_open_conversations_removed AFTER DELETE ON {CONVERSATION} "
        f"BEGIN {remove('OLD')} END",
        f"DELETE FROM {COUNT}",
        FILL,
    ]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgresql_sql(), params=None)
    elif vendor == "sqlite":
        for statement in sqlite_sql():
            schema_editor.execute(statement, params=None)
    else:
        raise NotImplementedError(f"Open-conversation counts have no triggers for {vendor}.")


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"DROP TRIGGER calls_open_conversations_kept ON {CONVERSATION}; "
            f"DROP TRIGGER calls_open_conversations_changed ON {CONVERSATION}; "
            "DROP FUNCTION calls_open_conversations();"
        )
    else:
        for name in ("new", "changed", "removed"):
            schema_editor.execute(f"DROP TRIGGER calls_open_conversations_{name}")


class Migration(migrations.Migration):
    dependencies = [
        ("ambassadors", "0008_open_conversations"),
        ("calls", "0020_line_rings_early"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
