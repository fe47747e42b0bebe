"""What callers say and what the desk answers: subject and description templates per
category and call type, solutions, waiting reasons and third-line suppliers.

Placeholders: {app} (an application of the caller's organisation), {floor}, {location},
{department} (the caller's) and {server} (a host of the servicedesk).
"""

from __future__ import annotations

from desk_tui.domain.classification import CallType

Text = tuple[str, str]  # (subject, description)

INCIDENTS: dict[str, tuple[Text, ...]] = {
    "Printen en scannen": (
        ("Printer {floor} geeft papierstoring",
         "De multifunctional op de {floor} van {location} meldt steeds een papierstoring in"
         " lade 2. Papier is al opnieuw geplaatst, de storing komt terug."),
        ("Kan niet scannen naar e-mail",
         "Scannen naar e-mail op de multifunctional geeft 'Verzenden mislukt'. Printen werkt"
         " wel."),
        ("Printopdrachten blijven in de wachtrij hangen",
         "Sinds vanochtend komen afdrukken niet uit de printer op de {floor}; ze blijven in"
         " de wachtrij staan."),
        ("Printer {floor} print streperig",
         "Afdrukken hebben grijze strepen over de hele pagina. Toner is vorige week vervangen."),
        ("Follow-me printen: pas wordt niet herkend",
         "De printer op de {floor} herkent de personeelspas niet; afdrukken kan niet worden"
         " opgehaald."),
    ),
    "Hardware": (
        ("Beeldscherm blijft zwart na opstarten",
         "Werkplek start wel (lampje brandt) maar het scherm blijft zwart. Kabels zijn"
         " gecontroleerd."),
        ("Laptop start niet meer op",
         "Laptop geeft alleen een knipperend lampje en start niet. Lader is aangesloten."),
        ("Dockingstation herkent tweede scherm niet",
         "Sinds de verhuizing naar de {floor} werkt het tweede beeldscherm niet via het dock."),
        ("Toetsenbord en muis reageren niet",
         "Draadloze set reageert niet meer; nieuwe batterijen helpen niet."),
        ("Laptop wordt heet en valt uit",
         "Laptop schakelt na een half uur werken zichzelf uit, de onderkant is erg warm."),
    ),
    "Kernapplicatie": (
        ("Kan niet inloggen op {app}",
         "Bij aanmelden in {app} verschijnt 'Gebruiker onbekend of geen rechten'. Gisteren"
         " werkte het nog."),
        ("{app} geeft foutmelding bij opslaan",
         "Bij het opslaan van een dossier in {app} verschijnt een foutmelding; het werk gaat"
         " verloren. Meerdere collega's van {department} hebben het."),
        ("{app} erg traag sinds vanochtend",
         "Schermen in {app} laden pas na een halve minuut. Balie loopt uit."),
        ("Koppeling {app} met landelijke voorziening geeft time-outs",
         "Bevragingen vanuit {app} lopen af op een time-out; zaken kunnen niet worden"
         " afgehandeld."),
        ("Rapportage in {app} loopt vast",
         "Het draaien van de maandrapportage in {app} blijft hangen op 90%."),
    ),
    "Accounts en autorisaties": (
        ("Account geblokkeerd na te vaak verkeerd wachtwoord",
         "Melder kan niet aanmelden, account is geblokkeerd."),
        ("Wachtwoord verlopen, kan niet aanmelden",
         "Wachtwoord is verlopen tijdens verlof; wijzigen via de werkplek lukt niet."),
        ("Geen toegang tot gedeelde map {department}",
         "Map van {department} op de netwerkschijf geeft 'Toegang geweigerd'."),
        ("MFA-melding komt niet binnen op telefoon",
         "Bij aanmelden komt de melding van de authenticator-app niet binnen."),
    ),
    "Office": (
        ("Word loopt vast bij openen van document",
         "Word reageert niet meer bij openen van documenten van de netwerkschijf."),
        ("Excel-bestand op netwerkschijf is vergrendeld",
         "Bestand is vergrendeld door een collega die al naar huis is."),
        ("Teams-vergadering: geen geluid",
         "In Teams-vergaderingen hoort melder niemand; headset werkt in andere programma's."),
        ("OneDrive synchroniseert niet",
         "OneDrive geeft een rood kruis en synchroniseert al twee dagen niet."),
    ),
    "E-mail en agenda": (
        ("Outlook vraagt steeds om wachtwoord",
         "Outlook vraagt elke paar minuten opnieuw om het wachtwoord."),
        ("Gedeelde mailbox {department} niet zichtbaar",
         "De gedeelde mailbox van {department} staat niet meer in Outlook."),
        ("Agenda-uitnodigingen komen niet aan",
         "Externe uitnodigingen komen niet in de agenda van melder."),
        ("Mail met bijlage komt niet aan bij ontvanger",
         "Mail met een bijlage van 12 MB wordt niet afgeleverd; geen foutmelding."),
    ),
    "Netwerkdiensten": (
        ("Geen netwerkverbinding op werkplek {floor}",
         "Werkplek op de {floor} van {location} heeft geen netwerk; kabel zit erin."),
        ("Wifi valt steeds weg in {location}",
         "Wifi in de vergaderzalen van {location} valt elke paar minuten weg."),
        ("VPN maakt geen verbinding vanuit huis",
         "VPN-client blijft hangen op 'Verbinden'. Thuisnetwerk werkt verder."),
        ("Netwerkschijf H: niet beschikbaar",
         "Persoonlijke schijf H: is niet gekoppeld na aanmelden."),
    ),
    "Telefonie": (
        ("Toestel geeft geen kiestoon",
         "Vaste toestel op de {floor} geeft geen kiestoon; display staat aan."),
        ("Doorschakelen naar mobiel werkt niet",
         "Doorschakeling van het vaste nummer naar mobiel werkt niet meer."),
        ("Wachtrij klantcontactcentrum neemt niet op",
         "Bellers in de wachtrij van het KCC komen niet bij een medewerker uit."),
        ("Headset wordt niet herkend in Teams-telefonie",
         "Teams-telefonie gebruikt de laptopmicrofoon in plaats van de headset."),
    ),
    "Overige software": (
        ("PDF-editor geeft licentiefout",
         "Bij openen van de PDF-editor: 'Licentie niet gevonden'."),
        ("GIS-viewer toont kaartlagen niet",
         "In de GIS-viewer blijven de kaartlagen leeg; alleen de ondergrond is zichtbaar."),
        ("Browser geeft certificaatmelding bij intranet",
         "Intranet opent met een waarschuwing over het beveiligingscertificaat."),
    ),
    "Besturingssystemen": (
        ("Windows-updates blijven hangen",
         "Werkplek blijft bij afsluiten hangen op 'Updates installeren 30%'."),
        ("Blauw scherm na update",
         "Na de updates van gisteren geeft de laptop bij opstarten een blauw scherm."),
        ("Aanmelden blijft hangen op 'Even geduld'",
         "Na het invoeren van het wachtwoord blijft het scherm op 'Even geduld' staan."),
    ),
    "Mobiele apparaten": (
        ("Mail synchroniseert niet op dienst-iPhone",
         "Sinds het wijzigen van het wachtwoord komt er geen mail meer binnen op de iPhone."),
        ("Dienst-telefoon kwijt, graag op afstand wissen",
         "Melder is de dienst-telefoon kwijtgeraakt in de trein; graag blokkeren en wissen."),
        ("Scherm gebarsten van dienst-iPhone",
         "Scherm is gebarsten, aanraken werkt deels nog."),
    ),
    "Beveiliging": (
        ("Verdachte e-mail ontvangen met link",
         "Mail van een 'leverancier' met het verzoek een factuur te openen via een link."),
        ("Per ongeluk op phishinglink geklikt",
         "Melder heeft op een link geklikt en zijn gegevens ingevuld; direct gemeld."),
        ("Virusmelding op werkplek",
         "Defender meldt een bedreiging in de map Downloads."),
        ("Onbekende USB-stick gevonden bij balie",
         "Bij de balie in {location} is een USB-stick gevonden; niet ingestoken."),
    ),
    "Operationeel beheer": (
        ("Back-up job mislukt op {server}",
         "Monitoring: de nachtelijke back-up van {server} is mislukt (2 pogingen)."),
        ("Schijfruimte bijna vol op {server}",
         "Monitoring: datavolume van {server} is voor 95% gevuld."),
        ("Dienst gestopt op {server} na onderhoudsvenster",
         "Na de herstart in het onderhoudsvenster is een applicatiedienst op {server} niet"
         " gestart."),
        ("Monitoring: {server} reageert niet",
         "{server} reageert niet meer op ping en beheerpoort."),
    ),
    "Verkiezingen": (
        ("Verkiezingslaptop stembureau start niet",
         "Laptop voor het stembureau in {location} start niet op."),
        ("Uitslagensoftware maakt geen verbinding",
         "De uitslagensoftware kan de tellingen niet versturen."),
    ),
}

# (category, subject, description) for requests, per call type.
REQUESTS: dict[CallType, tuple[tuple[str, str, str], ...]] = {
    CallType.SERVICEVERZOEK: (
        ("Accounts en autorisaties", "Toegang tot {app} voor nieuwe collega",
         "Nieuwe collega bij {department} heeft leesrechten in {app} nodig."),
        ("Hardware", "Extra beeldscherm aanvragen",
         "Graag een tweede beeldscherm voor de werkplek op de {floor}."),
        ("Mobiele apparaten", "Nieuwe dienst-iPhone aanvragen",
         "Huidige telefoon krijgt geen updates meer; graag vervangen."),
        ("Printen en scannen", "Printer toevoegen aan werkplek",
         "Graag de printer op de {floor} van {location} toevoegen."),
        ("Office", "Installatie Visio op werkplek",
         "Voor procesplaten is Visio nodig; budgethouder heeft akkoord gegeven."),
        ("E-mail en agenda", "Gedeelde mailbox aanmaken voor team {department}",
         "Team {department} wil een gezamenlijke mailbox voor externe vragen."),
        ("Telefonie", "Nummer doorschakelen tijdens verlof",
         "Vaste nummer graag doorschakelen naar het teamnummer tijdens verlof."),
    ),
    CallType.INFORMATIEVERZOEK: (
        ("Office", "Hoe stel ik een afwezigheidsmelding in?",
         "Melder gaat met verlof en wil een afwezigheidsmelding instellen."),
        ("Kernapplicatie", "Vraag over rapportage in {app}",
         "Hoe maak ik een overzicht per maand in {app}?"),
        ("Accounts en autorisaties", "Hoe wijzig ik mijn wachtwoord van thuis uit?",
         "Melder werkt thuis en wil het wachtwoord wijzigen voordat het verloopt."),
        ("Vragen en advies", "Wanneer is het onderhoudsvenster?",
         "Team wil weten wanneer systemen kunnen herstarten, voor een avondopenstelling."),
        ("Mobiele apparaten", "Mag ik werkmail op mijn eigen telefoon?",
         "Vraag of werkmail op een privételefoon mag en hoe dat moet."),
    ),
    CallType.WIJZIGINGSVERZOEK: (
        ("Kernapplicatie", "Update {app} naar nieuwe versie inplannen",
         "Leverancier heeft een update van {app} uitgebracht; graag inplannen met"
         " {department}."),
        ("Accounts en autorisaties", "Autorisaties {app} uitbreiden voor team {department}",
         "Team {department} krijgt er een taak bij en heeft schrijfrechten nodig."),
        ("Netwerkdiensten", "Extra netwerkaansluiting in {location}",
         "Voor een nieuwe werkplek op de {floor} is een extra aansluiting nodig."),
        ("Operationeel beheer", "Nieuwe acceptatieomgeving voor {app}",
         "Voor het testen van releases van {app} is een acceptatieomgeving nodig."),
    ),
}

# The first P1 of an open queue: what a morning looks like when a core system is down.
P1_INCIDENT: Text = (
    "Key2Burgerzaken niet bereikbaar: balie Burgerzaken kan niet werken",
    "Sinds kort kan niemand bij Burgerzaken inloggen op Key2Burgerzaken; de balie staat"
    " stil en er wachten burgers. Contractmanager is geïnformeerd.",
)
# After-hours P1s at the counters during evening openings: on-call takes them.
EVENING_INCIDENTS: tuple[tuple[str, Text], ...] = (
    ("Kernapplicatie", (
        "Avondopenstelling: {app} niet bereikbaar aan de balie",
        "Tijdens de avondopenstelling kunnen de baliemedewerkers niet in {app}; paspoorten"
        " kunnen niet worden aangevraagd.")),
    ("Telefonie", (
        "Avondopenstelling: telefonie balie {location} valt uit",
        "Alle toestellen bij de balie van {location} zijn uitgevallen tijdens de"
        " avondopenstelling.")),
    ("Hardware", (
        "Avondopenstelling: baliewerkplekken starten niet",
        "Geen enkele baliewerkplek in {location} start op; burgers wachten.")),
)

SOLUTIONS: dict[str, tuple[str, ...]] = {
    "Printen en scannen": (
        "Papierstoring verholpen, transportrol gereinigd.",
        "Printserver-wachtrij herstart; afdrukken komen weer door.",
        "Scanprofiel opnieuw ingesteld op de multifunctional.",
        "Leverancier heeft fuser vervangen.",
    ),
    "Hardware": (
        "Beeldschermkabel vervangen.", "Laptop omgeruild voor een voorraadtoestel.",
        "Dock-firmware bijgewerkt; tweede scherm werkt weer.", "Toetsenbord vervangen.",
    ),
    "Kernapplicatie": (
        "Rechten in de applicatie hersteld door applicatiebeheer.",
        "Applicatieserver herstart na overleg met de leverancier.",
        "Leverancier heeft een hotfix geplaatst.", "Cache van de gebruiker leeggemaakt.",
    ),
    "Accounts en autorisaties": (
        "Account gedeblokkeerd na verificatie van de melder.",
        "Wachtwoord gereset, melder heeft een nieuw wachtwoord ingesteld.",
        "Groepslidmaatschap toegevoegd na akkoord leidinggevende.",
    ),
    "Beveiliging": (
        "Mail verwijderd uit alle postvakken; afzender geblokkeerd.",
        "Wachtwoord gereset, sessies ingetrokken en werkplek gescand: schoon.",
        "USB-stick ingeleverd bij informatiebeveiliging.",
    ),
    "Operationeel beheer": (
        "Back-up handmatig opnieuw gestart en geslaagd.",
        "Oude logbestanden opgeruimd; volume vergroot.", "Dienst gestart, monitoring groen.",
    ),
}
GENERAL_SOLUTIONS = (
    "Opgelost met de melder aan de telefoon.",
    "Instelling aangepast; melder bevestigt dat het werkt.",
    "Uitleg gegeven; melder kan verder.",
    "Opgelost na herstart van de werkplek.",
    "Aanvraag uitgevoerd.",
)

WAITING_REASONS = (
    "Wacht op reactie melder",
    "Melder is afwezig tot maandag",
    "Wacht op leverancier",
    "Wacht op levering onderdeel",
    "Wacht op akkoord leidinggevende",
)

SUPPLIERS: dict[str, tuple[str, ...]] = {
    "Kernapplicatie": ("Centric", "Decos", "PinkRoccade Local Government"),
    "Hardware": ("Dell Technologies", "HP Inc."),
    "Printen en scannen": ("Canon Nederland",),
    "Telefonie": ("KPN Zakelijk",),
    "Netwerkdiensten": ("KPN Zakelijk", "HPE Aruba"),
    "Mobiele apparaten": ("Vodafone Zakelijk",),
    "Office": ("Microsoft",),
    "E-mail en agenda": ("Microsoft",),
}
GENERAL_SUPPLIERS = ("Microsoft", "Centric", "KPN Zakelijk")

# Never the {app} of a "Kernapplicatie" call: office and infrastructure software.
NOT_CORE_APPLICATIONS = frozenset({"Microsoft 365", "Microsoft Entra ID", "Veeam Backup",
                                   "iBabs"})
FLOORS = ("begane grond", "1e verdieping", "2e verdieping", "3e verdieping")
