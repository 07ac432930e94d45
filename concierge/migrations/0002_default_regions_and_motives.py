"""The 18 French regions (13 metropolitan, 5 overseas) and the default call motives."""

from __future__ import annotations

from django.db import migrations

REGIONS = [
    ("auvergne-rhone-alpes", "Auvergne-Rhône-Alpes", "metropolitan"),
    ("bourgogne-franche-comte", "Bourgogne-Franche-Comté", "metropolitan"),
    ("bretagne", "Bretagne", "metropolitan"),
    ("centre-val-de-loire", "Centre-Val de Loire", "metropolitan"),
    ("corse", "Corse", "metropolitan"),
    ("grand-est", "Grand Est", "metropolitan"),
    ("hauts-de-france", "Hauts-de-France", "metropolitan"),
    ("ile-de-france", "Île-de-France", "metropolitan"),
    ("normandie", "Normandie", "metropolitan"),
    ("nouvelle-aquitaine", "Nouvelle-Aquitaine", "metropolitan"),
    ("occitanie", "Occitanie", "metropolitan"),
    ("pays-de-la-loire", "Pays de la Loire", "metropolitan"),
    ("provence-alpes-cote-d-azur", "Provence-Alpes-Côte d’Azur", "metropolitan"),
    ("guadeloupe", "Guadeloupe", "overseas"),
    ("martinique", "Martinique", "overseas"),
    ("guyane", "Guyane", "overseas"),
    ("la-reunion", "La Réunion", "overseas"),
    ("mayotte", "Mayotte", "overseas"),
]

MOTIVES = [
    ("plan-a-trip", "Plan a trip"),
    ("food-and-wine", "Food and wine"),
    ("culture", "Culture and art of living"),
    ("unusual-places", "Unusual places and good addresses"),
    ("practical-help", "Practical help"),
    ("just-chat", "Just chat"),
]


def add_defaults(apps, schema_editor):
    Region = apps.get_model("concierge", "Region")
    CallMotive = apps.get_model("concierge", "CallMotive")
    for position, (code, name, kind) in enumerate(REGIONS, start=1):
        Region.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "position": position}
        )
    for position, (code, name) in enumerate(MOTIVES, start=1):
        CallMotive.objects.update_or_create(
            code=code, defaults={"name": name, "position": position}
        )


def remove_defaults(apps, schema_editor):
    apps.get_model("concierge", "Region").objects.filter(code__in=[r[0] for r in REGIONS]).delete()
    apps.get_model("concierge", "CallMotive").objects.filter(
        code__in=[m[0] for m in MOTIVES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("concierge", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
