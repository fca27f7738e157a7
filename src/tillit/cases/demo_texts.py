"""What the demo municipality's citizens ask about, in their own words, per demo case type.

Names, e-mail addresses, phone numbers and personnummer are made up: e-mail addresses use the
reserved example.com domain, phone numbers the series PTS keeps for fiction (070-174 06 05–99),
and personnummer the test series Skatteverket keeps (birth numbers 980–999).
"""

from __future__ import annotations

from dataclasses import dataclass

FIRST_NAMES = [
    "Karin", "Lars", "Maja", "Omar", "Birgitta", "Sven", "Elsa", "Hassan", "Agneta", "Leo",
    "Ingrid", "Mustafa", "Astrid", "Nils", "Sara", "Björn", "Aisha", "Gunnar", "Wilma", "Reza",
    "Margit", "Olle", "Selma", "Jamal", "Kerstin", "Hugo", "Ebba", "Tomas", "Layla", "Göran",
]  # fmt: skip
LAST_NAMES = [
    "Nyström", "Bergqvist", "Lundin", "Hussein", "Sundberg", "Åkesson", "Mattsson", "Haddad",
    "Fredriksson", "Holmberg", "Sandström", "Ibrahim", "Lindgren", "Wikström", "Jönsson",
    "Axelsson", "Öberg", "Karimi", "Nordin", "Ekström",
]  # fmt: skip
STREETS = ["Storgatan", "Björkvägen", "Lindvägen", "Kvarnbacken", "Sjövägen", "Ekbacken"]


@dataclass(frozen=True)
class Topic:
    subject: str
    description: str


@dataclass(frozen=True)
class Texts:
    topics: list[Topic]
    oral: str  # oral information given at the first contact (FL 27 §)
    note: str
    reply: str
    done: str  # in a hand-over: what has been done
    expected: str  # in a hand-over: what is expected of the receiver
    resolution: str
    citizen: str = "Tack för svaret. Jag har en följdfråga som jag skickar in här."
    wait: str = "Väntar på kompletterande uppgifter från invånaren."


TEXTS: dict[str, Texts] = {
    "bygglov-fraga": Texts(
        topics=[
            Topic(
                "Behöver jag bygglov för altan?",
                "Invånaren planerar en altan på 25 kvm, cirka 0,8 m över mark, och undrar om "
                "det krävs bygglov.",
            ),
            Topic(
                "Attefallshus på 25 kvm",
                "Vill bygga ett attefallshus och undrar om anmälan räcker och hur nära "
                "tomtgränsen det får stå.",
            ),
            Topic(
                "Plank mot gatan",
                "Vill sätta upp ett 1,8 m högt plank mot gatan och undrar vad som gäller.",
            ),
            Topic(
                "Friggebod nära tomtgränsen",
                "Grannen har gett sitt medgivande; undrar om friggeboden får stå 2 m från gränsen.",
            ),
        ],
        oral="Informerade om att altaner lägre än 1,2 m normalt inte kräver bygglov inom "
        "detaljplan, och hänvisade till sidan om bygglovsbefriade åtgärder.",
        note="Kontrollerat detaljplanen för fastigheten: inga särskilda bestämmelser.",
        reply="Hej! En friggebod får placeras närmare än 4,5 m från gränsen om grannen "
        "medger det. Spara grannens skriftliga medgivande.",
        done="Gett allmän information; frågan gäller en fastighet med q-märkning.",
        expected="Bedöm om åtgärden kräver bygglov med hänsyn till q-märkningen.",
        resolution="Besvarat med hänvisning till reglerna om bygglovsbefriade åtgärder.",
    ),
    "bygglov-ansokan": Texts(
        topics=[
            Topic(
                "Ansökan om bygglov för tillbyggnad",
                "Tillbyggnad av enbostadshus med 30 kvm; ritningar och situationsplan bifogade.",
            ),
            Topic(
                "Nybyggnad av enbostadshus, Ekbacken 4",
                "Ansökan om bygglov för nybyggnad av ett enplanshus med garage.",
            ),
            Topic(
                "Inglasning av balkong",
                "Bostadsrättsföreningen söker lov för inglasning av samtliga balkonger.",
            ),
        ],
        oral="Informerade om handläggningstiden (högst tio veckor från komplett ansökan) och "
        "om avgiften enligt taxan.",
        note="Ansökan saknar fasadritning mot öster.",
        reply="Tack för din ansökan. Vi behöver en fasadritning mot öster innan vi kan pröva "
        "ansökan. Skicka den gärna som svar på det här meddelandet.",
        done="Kontrollerat att ansökan har situationsplan, planritning och fasadritningar.",
        expected="Handlägg ansökan och begär kompletteringar vid behov.",
        resolution="Bygglov beviljat; beslutet skickat till sökanden.",
    ),
    "felanmalan-gata": Texts(
        topics=[
            Topic(
                "Gatubelysning trasig på Storgatan",
                "Tre lyktstolpar utanför Storgatan 12–16 är släckta sedan en vecka.",
            ),
            Topic(
                "Djup grop i cykelbanan vid Kvarnbäcksskolan",
                "En grop på cirka 10 cm; en cyklist har ramlat.",
            ),
            Topic(
                "Snö ej röjd på Björkvägen",
                "Björkvägen har inte plogats sedan i söndags; hemtjänstens bilar kommer inte fram.",
            ),
            Topic(
                "Nedfallen gren i Stadsparken",
                "En stor gren ligger över gångvägen vid dammen.",
            ),
        ],
        oral="Tackade för anmälan och informerade om att felet åtgärdas inom fem arbetsdagar.",
        note="Entreprenören har fått arbetsorder.",
        reply="Tack för din felanmälan. Felet är nu åtgärdat.",
        done="Noterat plats och tidpunkt; invånaren har skickat en bild.",
        expected="Åtgärda felet och återkoppla till invånaren.",
        resolution="Åtgärdat av gatuenheten.",
    ),
    "avfall-hamtning": Texts(
        topics=[
            Topic("Missad sophämtning Lindvägen 7", "Kärlet har inte tömts på två veckor."),
            Topic("Byta till mindre kärl", "Vill byta från 370 liter till 190 liter."),
            Topic("Trasigt lock på soptunnan", "Locket har gått sönder i blåsten."),
        ],
        oral="Bokade extra tömning på torsdag och påminde om att kärlet ska stå med "
        "handtaget utåt.",
        note="Renhållningen bekräftar att bilen inte kom fram på grund av en felparkerad bil.",
        reply="Hej! Kärlet töms på torsdag. Ställ det vid tomtgränsen senast kl. 6.",
        done="Kontrollerat hämtschemat.",
        expected="Kontakta entreprenören om den missade tömningen.",
        resolution="Extra tömning bokad.",
    ),
    "forsorjningsstod": Texts(
        topics=[
            Topic(
                "Ansökan om ekonomiskt bistånd",
                "Invånaren har blivit arbetslös och saknar inkomst i väntan på a-kassa.",
            ),
            Topic(
                "Bistånd till tandvård",
                "Behöver akut tandvård och har inte råd; undrar om det går att söka bistånd.",
            ),
        ],
        oral="Informerade om hur man ansöker och vilka handlingar som behövs.",
        note="Nybesök bokat; invånaren tar med kontoutdrag för tre månader.",
        reply="Hej! Du har en tid för nybesök på tisdag kl. 10 på Socialförvaltningen, Torget 2.",
        done="Lämnat ansökningsblankett och förklarat vilka handlingar som behövs.",
        expected="Boka nybesök och utred rätten till bistånd.",
        resolution="Beslut fattat och meddelat.",
    ),
    "orosanmalan": Texts(
        topics=[
            Topic("Orosanmälan från förskola", "Förskolan är orolig för ett barns situation."),
            Topic("Orosanmälan från granne", "Grannen har hört bråk flera kvällar i rad."),
        ],
        oral="Bekräftat att anmälan tagits emot; anmälaren informerad om att vi inte kan "
        "berätta om åtgärder.",
        note="Förhandsbedömning påbörjad.",
        reply="Tack för din anmälan. Vi har tagit emot den.",
        done="",
        expected="",
        resolution="Förhandsbedömning klar.",
    ),
    "skolplacering": Texts(
        topics=[
            Topic(
                "Byte av skola till Västerskolan, åk 4",
                "Vårdnadshavarna önskar byta skola efter jullovet.",
            ),
            Topic(
                "Skolplacering inför flytt från Göteborg",
                "Familjen flyttar till Sjöbacka i januari; två barn i åk 2 och åk 6.",
            ),
        ],
        oral="Informerade om att båda vårdnadshavarna måste underteckna ansökan om skolbyte.",
        note="Västerskolan har plats i åk 4 från vecka 3.",
        reply="Hej! Vi har fått er ansökan och återkommer med beslut inom tre veckor.",
        done="Kontrollerat folkbokföringsadress och önskad skola.",
        expected="Besluta om placering och meddela vårdnadshavarna.",
        resolution="Placering beslutad; vårdnadshavarna har fått beslutet.",
    ),
    "forskoleko": Texts(
        topics=[
            Topic("Plats i förskolekön", "Vill ställa sitt barn i kö till förskola från augusti."),
            Topic("Byta förskola", "Vill byta till en förskola närmare hemmet."),
        ],
        oral="Förklarade att kötiden räknas från ansökningsdagen och att erbjudande kommer "
        "senast fyra månader efter önskat datum.",
        note="Ansökan registrerad i köSystemet.",
        reply="Hej! Ditt barn står nu i kö. Du får ett erbjudande via e-tjänsten.",
        done="Kontrollerat köplats.",
        expected="Besvara frågan om syskonförtur.",
        resolution="Barnet står i kö.",
    ),
    "hemtjanst": Texts(
        topics=[
            Topic(
                "Ansökan om hemtjänst för mamma",
                "Dottern ringer för sin mamma, 87 år, som behöver hjälp med inköp och städning.",
            ),
            Topic("Utökad hemtjänst", "Behöver hjälp även på kvällarna efter en höftoperation."),
        ],
        oral="Informerade om att den sökande själv måste samtycka och om hur "
        "biståndsbedömningen går till.",
        note="Hembesök inbokat med biståndshandläggare.",
        reply="Hej! En biståndshandläggare kommer på hembesök på torsdag kl. 13.",
        done="Tagit emot ansökan per telefon; den sökande har samtyckt.",
        expected="Biståndsbedömning och hembesök.",
        resolution="Beslut om hemtjänst fattat.",
    ),
    "fardtjanst": Texts(
        topics=[
            Topic(
                "Ansökan om färdtjänst", "Har svårt att gå efter en stroke och kan inte åka buss."
            ),
            Topic("Förnyelse av färdtjänsttillstånd", "Tillståndet går ut vid månadsskiftet."),
        ],
        oral="Informerade om att ansökan kräver ett läkarintyg.",
        note="Läkarintyg inkommet.",
        reply="Hej! Vi har tagit emot ditt läkarintyg och fattar beslut inom två veckor.",
        done="Skickat ansökningsblankett och informerat om läkarintyg.",
        expected="Pröva ansökan när läkarintyget har kommit in.",
        resolution="Färdtjänst beviljad till och med december nästa år.",
    ),
    "lokalbokning": Texts(
        topics=[
            Topic("Boka Sjöbackahallen lördagar", "Innebandyföreningen vill boka hallen i vår."),
            Topic("Lokal för föreningsmöte", "Pensionärsföreningen behöver en lokal för årsmötet."),
        ],
        oral="Bokade gymnastiksalen i Norrskolan, tisdagar kl. 18–20 under vårterminen.",
        note="Hallen är dubbelbokad vecka 12; föreningen informerad.",
        reply="Hej! Bokningen är klar. Bekräftelsen kommer med e-post.",
        done="Kontrollerat lediga tider.",
        expected="Besluta om säsongsbokningen.",
        resolution="Bokning klar.",
    ),
    "foreningsbidrag": Texts(
        topics=[
            Topic("Ansökan om aktivitetsbidrag", "Scoutkåren söker aktivitetsbidrag för hösten."),
            Topic("Startbidrag för ny schackklubb", "En nystartad förening söker startbidrag."),
        ],
        oral="Informerade om att ansökan ska lämnas senast 15 mars.",
        note="Föreningen är registrerad i föreningsregistret.",
        reply="Hej! Vi behöver föreningens senaste verksamhetsberättelse.",
        done="Kontrollerat att föreningen är registrerad.",
        expected="Pröva ansökan enligt bidragsreglerna.",
        resolution="Bidrag beviljat.",
    ),
    "allmanna-handlingar": Texts(
        topics=[
            Topic(
                "Begäran om kopia av bygglovsbeslut",
                "Vill ha en kopia av grannens bygglovsbeslut från 2024.",
            ),
            Topic(
                "Protokoll från kommunstyrelsen",
                "Begär protokollet från kommunstyrelsens sammanträde i oktober.",
            ),
        ],
        oral="Informerade om att begäran prövas skyndsamt och att den kan göras anonymt.",
        note="Handlingen är offentlig; inga sekretessbelagda uppgifter.",
        reply="Hej! Här kommer protokollet du begärt.",
        done="Identifierat vilken handling som avses.",
        expected="Pröva utlämnandet och lämna ut handlingen.",
        resolution="Handlingen utlämnad.",
    ),
    "synpunkt": Texts(
        topics=[
            Topic("Synpunkt på bemötande i simhallen", "Personalen var otrevlig vid kassan."),
            Topic("Beröm till hemtjänsten i Norrby", "Vill tacka personalen för fint bemötande."),
            Topic(
                "Förslag: fler bänkar vid sjön", "Önskar fler sittplatser längs strandpromenaden."
            ),
        ],
        oral="Tackade för synpunkten och berättade att den lämnas till ansvarig förvaltning.",
        note="Synpunkten vidarebefordrad till enhetschefen.",
        reply="Hej! Tack för att du hörde av dig. Vi har tagit upp din synpunkt med personalen.",
        done="Registrerat synpunkten.",
        expected="Besvara synpunkten och återkoppla till invånaren.",
        resolution="Besvarad.",
    ),
}

RETURN_REASONS = [
    "Ärendet hör till Samhällsbyggnadsförvaltningen, inte till oss.",
    "Det saknas uppgifter om vilken fastighet det gäller; komplettera och erbjud igen.",
    "Frågan kan besvaras av kundcenter med hjälp av checklistan.",
]
