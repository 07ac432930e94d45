"""Numbers kept as keyed hashes where recognising them is enough: blocks, opt-outs, the rate
limit (Call.caller_hash). Existing rows are hashed here; clear numbers that are no longer needed
are pseudonymised by the hourly retention task (calls.privacy), not by this migration."""

from django.db import migrations, models


def hash_numbers(apps, schema_editor):
    from concierge.lib.pseudonyms import number_hash

    Call = apps.get_model("calls", "Call")
    calls = Call.objects.exclude(caller_number="").only("pk", "caller_number").order_by("pk")
    batch = []
    for call in calls.iterator(chunk_size=2000):
        call.caller_hash = number_hash(call.caller_number)
        batch.append(call)
        if len(batch) == 2000:
            Call.objects.bulk_update(batch, ["caller_hash"])
            batch = []
    Call.objects.bulk_update(batch, ["caller_hash"])
    for name in ("BlockedNumber", "OptOut"):
        Model = apps.get_model("calls", name)
        seen = set()
        for row in Model.objects.order_by("pk"):
            hashed = number_hash(row.number)
            # Opt-outs are kept apart for rehearsals: the same number may hold one of each.
            key = (hashed, getattr(row, "is_rehearsal", False))
            if not hashed or key in seen:  # the same number written twice, with spaces
                row.delete()
                continue
            seen.add(key)
            row.number_hash = hashed
            row.save(update_fields=["number_hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0009_rehearsals"),
    ]

    operations = [
        migrations.AddField(
            model_name="call",
            name="caller_hash",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="blockednumber",
            name="number_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="optout",
            name="number_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="message",
            name="numbers_erased",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(hash_numbers, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="optout", name="unique_opt_out"),
        migrations.RemoveField(model_name="blockednumber", name="number"),
        migrations.RemoveField(model_name="optout", name="number"),
        migrations.AlterField(
            model_name="blockednumber",
            name="number_hash",
            field=models.CharField(
                editable=False, max_length=64, unique=True, verbose_name="number (keyed hash)"
            ),
        ),
        migrations.AlterField(
            model_name="optout",
            name="number_hash",
            field=models.CharField(
                editable=False, max_length=64, verbose_name="number (keyed hash)"
            ),
        ),
        migrations.AddConstraint(
            model_name="optout",
            constraint=models.UniqueConstraint(
                fields=("number_hash", "is_rehearsal"), name="unique_opt_out"
            ),
        ),
        migrations.RemoveIndex(model_name="call", name="calls_call_caller__6e7739_idx"),
        migrations.AddIndex(
            model_name="call",
            index=models.Index(fields=["caller_hash", "received_at"], name="call_caller_hash_idx"),
        ),
        migrations.AddIndex(
            model_name="call",
            index=models.Index(
                condition=models.Q(("caller_number", ""), _negated=True),
                fields=["received_at"],
                name="call_number_kept_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(
                condition=models.Q(("numbers_erased", False)),
                fields=["created_at"],
                name="message_numbers_kept_idx",
            ),
        ),
    ]
