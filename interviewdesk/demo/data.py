"""The texts of the demo data (written for interviewdesk; fictitious people and procedures).

Kept apart from interviewdesk.demo.loading, which only builds rows from them.
"""

from __future__ import annotations

PASSWORD = "demo-interviewdesk"
# Every demo staff member has this authenticator secret (hex; run_demo prints it in base32 for an
# authenticator app, and `manage.py demo_code` prints the current code). Public: demo only.
TOTP_KEY = "64656d6f2d696e746572766965776465736b2121"
DICTIONARY = ("interviewdesk demo", "2025.1")

# code → (name, definition, [(dimension name, [indicator, indicator]), ...]); every text in nl/fr/de/en.
COMPETENCIES = {
    "analysing": (
        {"nl": "Analyseren", "fr": "Analyser", "de": "Analysieren", "en": "Analysing"},
        {
            "nl": "Gegevens uit verschillende bronnen kritisch onderzoeken, verbanden leggen en tot onderbouwde conclusies komen.",
            "fr": "Examiner de manière critique des données de sources diverses, établir des liens et aboutir à des conclusions étayées.",
            "de": "Daten aus verschiedenen Quellen kritisch prüfen, Zusammenhänge erkennen und begründete Schlüsse ziehen.",
            "en": "Examining data from different sources critically, linking them and reaching well-founded conclusions.",
        },
        [
            ({"nl": "Informatie verzamelen", "fr": "Rassembler l'information", "de": "Informationen sammeln",
              "en": "Gathering information"},
             [{"nl": "Zoekt zelf bijkomende bronnen wanneer de gegevens onvolledig zijn.",
               "fr": "Cherche lui-même des sources supplémentaires lorsque les données sont incomplètes.",
               "de": "Sucht selbst zusätzliche Quellen, wenn die Daten unvollständig sind.",
               "en": "Looks for additional sources when the data are incomplete."},
              {"nl": "Gaat na hoe betrouwbaar een bron is voor hij ze gebruikt.",
               "fr": "Vérifie la fiabilité d'une source avant de l'utiliser.",
               "de": "Prüft die Zuverlässigkeit einer Quelle, bevor er sie verwendet.",
               "en": "Checks how reliable a source is before using it."}]),
            ({"nl": "Conclusies trekken", "fr": "Tirer des conclusions", "de": "Schlüsse ziehen",
              "en": "Drawing conclusions"},
             [{"nl": "Onderscheidt hoofd- en bijzaken in een complex dossier.",
               "fr": "Distingue l'essentiel de l'accessoire dans un dossier complexe.",
               "de": "Unterscheidet in einer komplexen Akte Wesentliches von Nebensächlichem.",
               "en": "Separates the main points from side issues in a complex file."},
              {"nl": "Onderbouwt een besluit met concrete cijfers of feiten.",
               "fr": "Étaye une décision par des chiffres ou des faits concrets.",
               "de": "Begründet eine Entscheidung mit konkreten Zahlen oder Fakten.",
               "en": "Supports a decision with concrete figures or facts."}]),
        ],
    ),
    "cooperating": (
        {"nl": "Samenwerken", "fr": "Coopérer", "de": "Zusammenarbeiten", "en": "Cooperating"},
        {
            "nl": "Bijdragen aan een gemeenschappelijk resultaat door informatie te delen en collega's te ondersteunen.",
            "fr": "Contribuer à un résultat commun en partageant l'information et en soutenant ses collègues.",
            "de": "Zu einem gemeinsamen Ergebnis beitragen, indem man Informationen teilt und Kollegen unterstützt.",
            "en": "Contributing to a shared result by sharing information and supporting colleagues.",
        },
        [
            ({"nl": "Informatie delen", "fr": "Partager l'information", "de": "Informationen teilen",
              "en": "Sharing information"},
             [{"nl": "Brengt collega's uit eigen beweging op de hoogte van wat hen aanbelangt.",
               "fr": "Informe spontanément ses collègues de ce qui les concerne.",
               "de": "Informiert Kollegen von sich aus über das, was sie betrifft.",
               "en": "Keeps colleagues informed of what concerns them without being asked."},
              {"nl": "Documenteert zijn werk zodat een ander het kan overnemen.",
               "fr": "Documente son travail pour qu'un autre puisse le reprendre.",
               "de": "Dokumentiert seine Arbeit so, dass ein anderer sie übernehmen kann.",
               "en": "Documents his or her work so that someone else can take it over."}]),
            ({"nl": "Het team ondersteunen", "fr": "Soutenir l'équipe", "de": "Das Team unterstützen",
              "en": "Supporting the team"},
             [{"nl": "Biedt hulp aan wanneer een collega een piek in het werk heeft.",
               "fr": "Propose son aide lorsqu'un collègue connaît un pic de travail.",
               "de": "Bietet Hilfe an, wenn ein Kollege eine Arbeitsspitze hat.",
               "en": "Offers help when a colleague faces a peak in workload."},
              {"nl": "Zoekt bij meningsverschillen naar een oplossing die iedereen kan dragen.",
               "fr": "En cas de désaccord, cherche une solution acceptable pour tous.",
               "de": "Sucht bei Meinungsverschiedenheiten eine Lösung, die alle mittragen.",
               "en": "Looks for a solution everyone can accept when opinions differ."}]),
        ],
    ),
    "achieving-results": (
        {"nl": "Resultaatgericht handelen", "fr": "Atteindre des résultats", "de": "Ergebnisorientiert handeln",
         "en": "Achieving results"},
        {
            "nl": "Doelstellingen realiseren binnen de gestelde termijn en kwaliteit, en daarvoor verantwoordelijkheid nemen.",
            "fr": "Réaliser les objectifs dans les délais et la qualité fixés, et en assumer la responsabilité.",
            "de": "Ziele in der vorgegebenen Frist und Qualität erreichen und dafür Verantwortung übernehmen.",
            "en": "Reaching objectives on time and to the agreed quality, and taking responsibility for them.",
        },
        [
            ({"nl": "Plannen", "fr": "Planifier", "de": "Planen", "en": "Planning"},
             [{"nl": "Verdeelt een opdracht in haalbare stappen met tussentijdse deadlines.",
               "fr": "Découpe une mission en étapes réalisables avec des échéances intermédiaires.",
               "de": "Teilt einen Auftrag in machbare Schritte mit Zwischenterminen ein.",
               "en": "Breaks an assignment into feasible steps with interim deadlines."},
              {"nl": "Stelt prioriteiten bij wanneer zich iets dringends aandient.",
               "fr": "Ajuste ses priorités lorsqu'une urgence survient.",
               "de": "Passt Prioritäten an, wenn etwas Dringendes dazwischenkommt.",
               "en": "Adjusts priorities when something urgent comes up."}]),
            ({"nl": "Doorzetten", "fr": "Persévérer", "de": "Durchhalten", "en": "Persevering"},
             [{"nl": "Blijft zoeken naar een oplossing wanneer een eerste aanpak mislukt.",
               "fr": "Continue à chercher une solution lorsqu'une première approche échoue.",
               "de": "Sucht weiter nach einer Lösung, wenn ein erster Ansatz scheitert.",
               "en": "Keeps looking for a solution when a first approach fails."},
              {"nl": "Rondt een taak volledig af, ook de minder boeiende delen.",
               "fr": "Termine entièrement une tâche, y compris les parties moins intéressantes.",
               "de": "Schließt eine Aufgabe vollständig ab, auch die weniger spannenden Teile.",
               "en": "Finishes a task completely, including the less interesting parts."}]),
        ],
    ),
    "serving-citizens": (
        {"nl": "Klantgericht handelen", "fr": "Servir le citoyen", "de": "Bürgerorientiert handeln",
         "en": "Serving citizens"},
        {
            "nl": "Burgers en interne klanten correct, begrijpelijk en binnen de regels helpen.",
            "fr": "Aider les citoyens et les clients internes de façon correcte, compréhensible et dans le respect des règles.",
            "de": "Bürgern und internen Kunden korrekt, verständlich und im Rahmen der Regeln helfen.",
            "en": "Helping citizens and internal customers correctly, clearly and within the rules.",
        },
        [
            ({"nl": "De vraag begrijpen", "fr": "Comprendre la demande", "de": "Die Anfrage verstehen",
              "en": "Understanding the request"},
             [{"nl": "Stelt vragen tot de werkelijke nood van de burger duidelijk is.",
               "fr": "Pose des questions jusqu'à ce que le besoin réel du citoyen soit clair.",
               "de": "Stellt Fragen, bis das tatsächliche Anliegen des Bürgers klar ist.",
               "en": "Asks questions until the citizen's real need is clear."},
              {"nl": "Vat de vraag samen om te controleren of hij ze goed begrepen heeft.",
               "fr": "Résume la demande pour vérifier qu'il l'a bien comprise.",
               "de": "Fasst die Anfrage zusammen, um zu prüfen, ob er sie richtig verstanden hat.",
               "en": "Summarises the request to check it was understood."}]),
            ({"nl": "Helder antwoorden", "fr": "Répondre clairement", "de": "Klar antworten",
              "en": "Answering clearly"},
             [{"nl": "Legt regelgeving uit in eenvoudige taal, zonder jargon.",
               "fr": "Explique la réglementation en langage simple, sans jargon.",
               "de": "Erklärt Vorschriften in einfacher Sprache, ohne Fachjargon.",
               "en": "Explains regulations in plain language, without jargon."},
              {"nl": "Meldt wanneer en hoe de burger een antwoord zal krijgen.",
               "fr": "Indique quand et comment le citoyen recevra une réponse.",
               "de": "Teilt mit, wann und wie der Bürger eine Antwort erhält.",
               "en": "Says when and how the citizen will get an answer."}]),
        ],
    ),
    "self-development": (
        {"nl": "Zichzelf ontwikkelen", "fr": "S'autodévelopper", "de": "Sich weiterentwickeln",
         "en": "Developing oneself"},
        {
            "nl": "Eigen sterktes en werkpunten kennen en gericht bijleren.",
            "fr": "Connaître ses forces et ses points d'amélioration et apprendre de manière ciblée.",
            "de": "Die eigenen Stärken und Entwicklungsfelder kennen und gezielt dazulernen.",
            "en": "Knowing one's strengths and areas for improvement and learning purposefully.",
        },
        [
            ({"nl": "Zelfinzicht", "fr": "Connaissance de soi", "de": "Selbstreflexion", "en": "Self-awareness"},
             [{"nl": "Vraagt feedback en gaat er constructief mee om.",
               "fr": "Demande du feedback et en tient compte de manière constructive.",
               "de": "Bittet um Feedback und geht konstruktiv damit um.",
               "en": "Asks for feedback and uses it constructively."},
              {"nl": "Benoemt concreet een eigen werkpunt en wat hij eraan doet.",
               "fr": "Cite concrètement un point d'amélioration et ce qu'il fait pour y travailler.",
               "de": "Nennt konkret ein eigenes Entwicklungsfeld und was er dafür tut.",
               "en": "Names a concrete area for improvement and what is being done about it."}]),
            ({"nl": "Bijleren", "fr": "Apprendre", "de": "Dazulernen", "en": "Learning"},
             [{"nl": "Volgt uit eigen beweging opleidingen die bij de functie passen.",
               "fr": "Suit de sa propre initiative des formations utiles à la fonction.",
               "de": "Besucht aus eigenem Antrieb Schulungen, die zur Stelle passen.",
               "en": "Takes training relevant to the job on his or her own initiative."},
              {"nl": "Past nieuwe kennis snel toe in het dagelijkse werk.",
               "fr": "Applique rapidement les nouvelles connaissances dans le travail quotidien.",
               "de": "Wendet neues Wissen schnell in der täglichen Arbeit an.",
               "en": "Quickly applies new knowledge in daily work."}]),
        ],
    ),
}

PROCEDURES = {
    "ANG25123": {
        "title": "Attaché data-analist (m/v/x) – Dienst Beleidsondersteuning",
        "language": "nl",
        "contact_name": "An Peeters",
        "contact_email": "selectie.ang25123@example.org",
        "contact_phone": "+3225550101",
        "pre_stage": "case",
        "pre_stage_minutes": 45,
        "extra_material": (
            "Tijdens de voorbereiding van de case mag je enkel een blanco vel papier en een pen gebruiken voor "
            "notities. Een rekenmachine is niet toegelaten: de case vraagt geen berekeningen."
        ),
        "interview_minutes": 60,
        "profile": ["analysing", "cooperating", "achieving-results", "self-development"],
    },
    "AFG25124": {
        "title": "Attaché juriste marchés publics (m/f/x) – Service d'appui juridique",
        "language": "fr",
        "contact_name": "Sophie Lambert",
        "contact_email": "selection.afg25124@example.org",
        "contact_phone": "+3225550202",
        "pre_stage": "none",
        "pre_stage_minutes": 0,
        "extra_material": "",
        "interview_minutes": 60,
        "profile": ["analysing", "serving-citizens", "achieving-results"],
    },
}

# username → (first name, last name, language)
STAFF = {
    "admin": ("Karel", "Van Damme", "en"),
    "officer": ("An", "Peeters", "nl"),
    "proctor1": ("Bart", "Wouters", "nl"),
    "proctor2": ("Isabelle", "Dumont", "fr"),
    "chair1": ("Hilde", "Verhaegen", "nl"),
    "assessor1": ("Koen", "De Backer", "nl"),
    "assessor2": ("Veerle", "Martens", "nl"),
    "chair2": ("Marc", "Hendrickx", "nl"),
    "assessor3": ("Sandra", "Kohnen", "de"),
    "assessor4": ("Dirk", "Lemmens", "nl"),
    "chair3": ("Philippe", "Renard", "fr"),
    "assessor5": ("Nathalie", "Delvaux", "fr"),
    "assessor6": ("Michael", "Heinen", "de"),
}
# Printed by run_demo: one login per role.
ROLE_LOGINS = [
    ("administrator", "admin"), ("selection officer", "officer"), ("proctor", "proctor1"),
    ("jury chair", "chair1"), ("assessor", "assessor1"),
]
# (procedure, name, languages, chair, assessors)
JURIES = [
    ("ANG25123", "Jury A", ["nl"], "chair1", ["assessor1", "assessor2"]),
    ("ANG25123", "Jury B", ["nl", "de"], "chair2", ["assessor3", "assessor4"]),
    ("AFG25124", "Jury C", ["fr", "de"], "chair3", ["assessor5", "assessor6"]),
]

ROOMS = [
    {"name": "Room 12.05", "site": "Brussels WTC III", "address": "Boulevard Simon Bolivar 30, 1000 Brussels",
     "name_nl": "Lokaal 12.05", "address_nl": "Simon Bolivarlaan 30, 1000 Brussel",
     "name_fr": "Salle 12.05", "address_fr": "Boulevard Simon Bolivar 30, 1000 Bruxelles",
     "name_de": "Raum 12.05", "address_de": "Simon-Bolivar-Boulevard 30, 1000 Brüssel",
     "capacity": 2, "equipment": "Two laptops with webcam, USB headsets, wired network, a lockable cupboard for bags."},
    {"name": "Lokaal 0.14", "site": "Ghent", "address": "Kortrijksesteenweg 1005, 9000 Gent",
     "name_fr": "Salle 0.14", "address_fr": "Kortrijksesteenweg 1005, 9000 Gand",
     "name_de": "Raum 0.14", "address_de": "Kortrijksesteenweg 1005, 9000 Gent",
     "capacity": 1, "equipment": "Desktop PC with webcam and headset, wired network, a quiet room with a door."},
]

# (first name, last name, language): 18 for the Dutch procedure, then 12 for the French one.
CANDIDATES = {
    "ANG25123": [
        ("Lotte", "Claes", "nl"), ("Jens", "Peeters", "nl"), ("Sarah", "Maes", "nl"), ("Pieter", "Goossens", "nl"),
        ("Elke", "Vermeulen", "nl"), ("Thomas", "De Smet", "nl"), ("Nele", "Willems", "nl"),
        ("Wout", "Jacobs", "nl"), ("Femke", "Mertens", "nl"), ("Bram", "Van den Broeck", "nl"),
        ("Ine", "Verstraete", "nl"), ("Arne", "Desmet", "nl"), ("Jolien", "Van Acker", "nl"),
        ("Stijn", "Coppens", "nl"), ("Hanne", "Segers", "nl"), ("Lukas", "Kessler", "de"),
        ("Lena", "Margraff", "de"), ("Camille", "Dupont", "fr"),
    ],
    "AFG25124": [
        ("Julie", "Lambert", "fr"), ("Maxime", "Leclercq", "fr"), ("Manon", "Gilson", "fr"),
        ("Nicolas", "Lejeune", "fr"), ("Chloé", "Collard", "fr"), ("Antoine", "Renard", "fr"),
        ("Océane", "Baudoux", "fr"), ("Julien", "Hennuy", "fr"), ("Laura", "Piron", "fr"),
        ("Romain", "Delhaye", "fr"), ("Jonas", "Cormann", "de"), ("Eline", "Wuyts", "nl"),
    ],
}

# Pieces of short CVs and motivations per language, combined per candidate.
CV = {
    "nl": [
        "Master in de economische wetenschappen (KU Leuven). Vijf jaar data-analist bij een Vlaamse intercommunale.",
        "Master informatica (UGent). Werkte als consultant rond rapportering voor lokale besturen.",
        "Bachelor bedrijfsmanagement en master statistiek (UHasselt). Beleidsmedewerker bij een OCMW.",
        "Master sociologie (UAntwerpen). Onderzoeker aan een hogeschool, daarna analist bij een ziekenfonds.",
    ],
    "fr": [
        "Master en droit (UCLouvain). Quatre ans juriste dans une administration communale, marchés publics.",
        "Master en droit public (ULiège). Avocat au barreau de Namur, spécialisé en droit administratif.",
        "Master en sciences politiques (ULB) et certificat en marchés publics. Conseiller dans une intercommunale.",
        "Master en droit économique (UNamur). Juriste d'entreprise dans le secteur de la construction.",
    ],
    "de": [
        "Master in Rechtswissenschaften (Universität Lüttich). Referent in einer Gemeindeverwaltung in Eupen.",
        "Master in Wirtschaftswissenschaften (RWTH Aachen). Datenanalyst bei einem Logistikunternehmen in St. Vith.",
    ],
}
MOTIVATION = {
    "nl": "Ik wil mijn analytische ervaring inzetten voor beleid dat burgers echt helpt en in een team leren van collega's.",
    "fr": "Je souhaite mettre mon expérience juridique au service de l'intérêt général et d'une administration efficace.",
    "de": "Ich möchte meine Erfahrung in den Dienst der Bürger stellen und im föderalen Dienst Neues lernen.",
}
