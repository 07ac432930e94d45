"""Demo lines for ``manage.py seed_demo`` (from the range of numbers reserved for fiction) and the
FAQ tourists get by text while no local is free."""

from __future__ import annotations

from typing import Protocol

from concierge.demo import NETWORK
from concierge.models import OfficeNetwork

from .models import FaqEntry, LineTier, PhoneLine, WebChat


class Writer(Protocol):
    def write(self, msg: str) -> object: ...


LINES = [
    {
        "number": "+33199000000",
        "label": "France — national line",
        "tier": LineTier.STANDARD,
        "records_calls": False,
        "ivr_languages": "en,fr,de,es,it",
        # The short path: callers are put through at once unless they press 1 to choose.
        "full_menu": False,
    },
    {
        "number": "+33199000001",
        "label": "France — premium line (recorded)",
        "tier": LineTier.PREMIUM,
        "records_calls": True,
        "ivr_languages": "en,fr,de,es,it",
        "full_menu": True,
    },
]

# The national line's web chat, for pages of the demo server itself (`make run`): paste the
# snippet of docs/webchat.md into one, or rehearse a visitor in the SMS simulator.
WEB_CHAT = {
    "key": "demo",
    "name": "Destination Concierge (demo)",
    "allowed_origins": "http://127.0.0.1:8000\nhttp://localhost:8000",
}
WEB_CHAT_LINE = "+33199000000"


# (topic, language, keywords, answer): staff edit them in the admin ("FAQ entries").
FAQ = [
    ("Emergencies", "en", "emergency, urgent, police, ambulance, fire, 112, doctor",
     "Call 112 (any emergency, free, from any phone), 15 ambulance, 17 police, 18 fire. "
     "For a doctor at night: 116 117."),
    ("Trains", "en", "train, trains, sncf, tgv, station, rail",
     "Tickets at sncf-connect.com or the SNCF Connect app; book TGV early for low fares. "
     "Regional TER trains need no booking."),
    ("Metro and buses", "en", "metro, subway, bus, ratp, ticket, tickets, navigo, tram",
     "In Paris, buy tickets in the RATP or Bonjour RATP app or at machines; a Navigo Easy card "
     "saves paper tickets. Other cities sell tickets at stops and on apps."),
    ("Taxis", "en", "taxi, taxis, cab, uber, airport",
     "Official taxis have a lit roof sign; airport fares to central Paris are fixed. Ride apps "
     "work in large cities."),
    ("Pharmacies", "en", "pharmacy, chemist, medicine, drugstore",
     "Look for the green cross. At night and on Sundays one pharmacy per area is on duty: "
     "search 'pharmacie de garde' or call 3237."),
    ("Tap water and tipping", "en", "water, drink, tip, tipping, service",
     "Tap water is safe everywhere; ask for 'une carafe d'eau', it is free. Service is "
     "included in French bills: a small tip is welcome, never expected."),
    ("Urgences", "fr", "urgence, urgences, police, ambulance, pompiers, 112, medecin",
     "Appelez le 112 (toute urgence, gratuit), le 15 (SAMU), le 17 (police), le 18 (pompiers). "
     "Médecin de garde la nuit : 116 117."),
    ("Trains", "fr", "train, trains, sncf, tgv, gare",
     "Billets sur sncf-connect.com ou l'appli SNCF Connect ; réservez les TGV tôt. Les TER se "
     "prennent sans réservation."),
    ("Métro et bus", "fr", "metro, bus, ratp, ticket, tickets, navigo, tram",
     "À Paris, billets dans l'appli RATP ou aux automates ; la carte Navigo Easy évite les "
     "tickets papier."),
    ("Pharmacies", "fr", "pharmacie, medicament, medicaments",
     "Cherchez la croix verte. La nuit et le dimanche, une pharmacie de garde par secteur : "
     "cherchez « pharmacie de garde » ou appelez le 3237."),
]  # fmt: skip


def seed(*, stdout: Writer) -> list[tuple[str, str]]:
    rehearsing = OfficeNetwork.objects.filter(name=NETWORK)
    for line in LINES:
        phone_line, _created = PhoneLine.objects.update_or_create(
            number=line["number"], defaults={**line, "is_active": True}
        )
        phone_line.rehearsal_networks.add(*rehearsing)
    stdout.write("Demo lines: +33 1 99 00 00 00 (standard), +33 1 99 00 00 01 (premium).\n")
    stdout.write(f"The {NETWORK} network's coordinator and managers may rehearse on both.\n")
    WebChat.objects.update_or_create(
        key=WEB_CHAT["key"],
        defaults={
            **WEB_CHAT,
            "line": PhoneLine.objects.get(number=WEB_CHAT_LINE),
            "is_active": True,
        },
    )
    stdout.write(
        f"Web chat {WEB_CHAT['key']!r} on the national line, for pages of "
        "http://127.0.0.1:8000 and http://localhost:8000 (docs/webchat.md).\n"
    )
    for position, (topic, language, keywords, answer) in enumerate(FAQ):
        FaqEntry.objects.update_or_create(
            topic=topic,
            language=language,
            defaults={"keywords": keywords, "answer": answer, "position": position},
        )
    stdout.write(f"FAQ for texts while no local is free: {len(FAQ)} entries.\n")
    return []
