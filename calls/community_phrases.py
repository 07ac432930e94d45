"""What tourists say or write to ask for an affinity community: phrases per language, mapped to
the codes of the destination's communities (``concierge.Community`` rows).

A maintained table, data only, shared by the voice menu (said: :mod:`calls.voice.speech`) and
the first text of a conversation (written: :mod:`calls.sms.keywords`). As in
:mod:`calls.voice.places`, ``ANY`` holds words alike in every Latin-script language and each
language code its own; the translated community names (``concierge.lib.names``) and the codes
themselves are understood too without being listed. A code the destination does not have, or
has switched off, is ignored. Phrases are specific on purpose: "wine" alone is a topic (food
and wine), "wine lovers" a community. A phrase holds no comma (Twilio's ``hints``).
"""

from __future__ import annotations

ANY = "*"  # the same words in every Latin-script language

Words = dict[str, tuple[str, ...]]

COMMUNITIES: dict[str, Words] = {
    "food-lovers": {
        ANY: ("foodie", "foodies", "gourmet"),
        "en": ("food lover", "food lovers"),
        "fr": ("gourmand", "gourmands", "gastronome"),
        "de": ("Feinschmecker", "Genießer"),
        "es": ("amante de la comida", "sibarita"),
        "it": ("buongustaio", "buongustai", "amante del cibo"),
        "pt": ("amante da comida", "apreciador de comida"),
        "nl": ("fijnproever", "lekkerbek"),
        "zh": ("美食家", "吃货"),
        "ja": ("グルメ", "食通"),
    },
    "hikers": {
        ANY: ("trekking",),
        "en": ("hiking", "hike", "hikes", "hiker", "hikers", "walking", "walkers"),
        "fr": ("randonnée", "randonnées", "rando", "randonneur", "randonneurs"),
        "de": ("Wandern", "Wanderung", "Wanderer", "Bergwandern"),
        "es": ("senderismo", "caminata", "excursionismo"),
        "it": ("escursionismo", "escursioni", "camminare"),
        "pt": ("caminhada", "caminhadas", "trilhas"),
        "nl": ("wandelen", "wandeling", "wandelaars"),
        "zh": ("徒步", "远足", "登山"),
        "ja": ("ハイキング", "トレッキング", "山歩き"),
    },
    "families": {
        "en": ("with kids", "with children", "family", "families", "toddler", "baby"),
        "fr": ("avec des enfants", "en famille", "famille", "enfants", "bébé"),
        "de": ("mit Kindern", "Familie", "Familien", "Kinder", "Baby"),
        "es": ("con niños", "en familia", "familia", "niños", "bebé"),
        "it": ("con bambini", "in famiglia", "famiglia", "bambini"),
        "pt": ("com crianças", "em família", "família", "crianças", "bebé"),
        "nl": ("met kinderen", "gezin", "familie", "kinderen"),
        "zh": ("带孩子", "亲子", "家庭", "孩子"),
        "ja": ("子連れ", "子供", "家族"),
    },
    "accessible-travel": {
        ANY: ("PMR",),
        "en": ("wheelchair", "wheelchair accessible", "accessibility", "disabled", "disability",
               "reduced mobility"),
        "fr": ("fauteuil roulant", "accessibilité", "handicap", "handicapé",
               "mobilité réduite"),
        "de": ("Rollstuhl", "barrierefrei", "Behinderung", "behindert"),
        "es": ("silla de ruedas", "accesibilidad", "discapacidad",
               "movilidad reducida"),
        "it": ("sedia a rotelle", "accessibilità", "disabilità",
               "mobilità ridotta"),
        "pt": ("cadeira de rodas", "acessibilidade", "deficiência",
               "mobilidade reduzida"),
        "nl": ("rolstoel", "toegankelijkheid", "beperking"),
        "zh": ("轮椅", "无障碍", "残疾"),
        "ja": ("車椅子", "車いす", "バリアフリー", "障害"),
    },
    "lgbtq-friendly": {
        ANY: ("LGBT", "LGBTQ", "LGBTQ+", "LGBTQIA", "LGBT friendly", "gay friendly", "gay",
              "queer"),
        "en": ("lesbian",),
        "fr": ("lesbienne", "gay friendly"),
        "de": ("lesbisch", "schwul"),
        "es": ("lesbiana",),
        "it": ("lesbica",),
        "pt": ("lésbica",),
        "nl": ("lesbisch", "homo"),
        "zh": ("同性恋", "同志"),
        "ja": ("ゲイ", "レズビアン", "同性愛"),
    },
    "students": {
        "en": ("student", "students"),
        "fr": ("étudiant", "étudiants", "étudiante", "étudiantes"),
        "de": ("Student", "Studenten", "Studentin", "Studierende"),
        "es": ("estudiante", "estudiantes"),
        "it": ("studente", "studenti", "studentessa"),
        "pt": ("estudante", "estudantes"),
        "nl": ("student", "studenten"),
        "zh": ("学生", "留学生"),
        "ja": ("学生", "留学生"),
    },
    "wine": {
        ANY: ("oenophile",),
        "en": ("wine lover", "wine lovers", "wine buff"),
        "fr": ("amateur de vin", "amateurs de vin", "œnologue", "oenologue"),
        "de": ("Weinliebhaber", "Weinkenner"),
        "es": ("amante del vino", "amantes del vino", "enófilo"),
        "it": ("amante del vino", "amanti del vino", "enofilo"),
        "pt": ("amante de vinho", "amantes de vinho", "enófilo"),
        "nl": ("wijnliefhebber", "wijnliefhebbers", "wijnkenner"),
        "zh": ("葡萄酒爱好者", "爱酒"),
        "ja": ("ワイン好き", "ワイン愛好家"),
    },
}  # fmt: skip


def phrases(code: str, language: str) -> tuple[str, ...]:
    """The listed phrases for one community in one language (the Latin-script ones included)."""
    words = COMMUNITIES.get(code, {})
    latin = language not in ("zh", "ja")
    return (*(words.get(ANY, ()) if latin else ()), *words.get(language, ()))
