"""The shared patterns' words in the languages replies are drafted in (locales/): a
concrete time and a promise in fi, nb, ru, he, de, fr and es, beside the English of
``rules.MACROS``.

A promise matters to the timing rules only when it is the writer's or the company's:
the first person of a future (or a present used as one, as Finnish and German do), "you
will receive", or a passive "will be processed". A hope ("I hope it arrives soon") is
not a promise in any language, so "soon" in it is fine; nor is taking a case on ("Hoidan
asian tästä eteenpäin itse", "дальше я займусь этим лично"), which has no date to give.
"""

from __future__ import annotations

_DAYS = (
    r"montags?|dienstags?|mittwochs?|donnerstags?|freitags?|samstags?|sonntags?"
    r"|maanantai\w*|tiistai\w*|keskiviikko\w*|torstai\w*|perjantai\w*|lauantai\w*|sunnuntai\w*"
    r"|mandag\w*|tirsdag\w*|onsdag\w*|torsdag\w*|fredag\w*|lørdag\w*|søndag\w*"
    r"|понедельник\w*|вторник\w*|сред[аеуы]|четверг\w*|пятниц\w*|суббот\w*|воскресень\w*"
    r"|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|lunes|martes|miércoles|jueves|viernes|sábado|domingo"
)
_MONTHS = (
    r"januar|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember|desember|mars"
    r"|\w+kuuta"
    r"|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
    r"|janvier|février|avril|juin|juillet|août|septembre|octobre|novembre|décembre"
    r"|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre"
    r"|ב?(?:ינואר|פברואר|מרץ|אפריל|מאי|יוני|יולי|אוגוסט|ספטמבר|אוקטובר|נובמבר|דצמבר)"
)
_UNITS = (
    r"(?:werk|arbeits|geschäfts)?tag(?:en|e)?|stunden?|wochen?"
    r"|päivän|tunnin|viikon|arkipäivän"
    r"|dager|dag|timer|time|uker|uke|virkedager"
    r"|дн(?:я|ей)|час(?:а|ов)?|недел[июь]|рабочих\s+дн(?:я|ей)"
    r"|jours?(?:\s+ouvrés)?|heures?|semaines?"
    r"|días?(?:\s+hábiles)?|horas?|semanas?"
    r"|שעות|ימים|יומיים|שבוע|שבועיים|ימי\s+עסקים"
)
_NUM = r"(?:\d+|zwei|drei|einem|einer|kahden|kolmen|to|tre|двух|трёх|трех|deux|trois|dos|tres|un|une|una|uno)"

DATE = (
    rf"\b(?:{_DAYS})\b|(?:^|(?<=\s))יום\s+(?:ראשון|שני|שלישי|רביעי|חמישי|שישי)\b"
    rf"|\b\d{{1,2}}\.?\s+(?:de\s+)?(?:{_MONTHS})\b"
    r"|\bklo\s+\d{1,2}\b|\bkl\.?\s+\d{1,2}\b|\b\d{1,2}(?:[.:]\d{2})?\s*Uhr\b|\b\d{1,2}\s?h(?:\s?\d{2})?\b"
    r"|\ba\s+las\s+\d{1,2}\b|בשעה\s+\d{1,2}"
    r"|\bheute\b|\bübermorgen\b|(?<!guten\s)\bmorgen\b|\btänään\b|\bhuomenna\b"
    r"|\bi\s+(?:dag|morgen|kveld)\b|\bсегодня\b|\bзавтра\b|\baujourd['’]hui\b|\bdemain\b|\bce\s+soir\b"
    r"|\bhoy\b|\bmañana\b|\besta\s+(?:tarde|noche|semana)\b|(?:^|(?<=\s))(?:היום|מחר|הערב|השבוע)\b"
    r"|\bdiese\s+Woche\b|\btällä\s+viikolla\b|\bdenne\s+uken?\b|\bна\s+этой\s+неделе\b|\bcette\s+semaine\b"
    rf"|\b(?:innerhalb\s+(?:von\s+)?|binnen\s+|innen\s+|i\s+løpet\s+av\s+|в\s+течение\s+|через\s+|sous\s+"
    rf"|dans\s+les\s+|d['’]ici\s+|en\s+(?:un\s+plazo\s+de\s+)?|dentro\s+de\s+(?:los\s+)?|תוך\s+)"
    rf"(?:{_NUM}\s+)?(?:{_UNITS})\b"
    rf"|\b{_NUM}\s+(?:{_UNITS})\s+(?:kuluessa|sisällä)\b"
)

_FI_VERBS = (
    r"palaa|ota|ilmoita|käsittele|lähetä|vastaa|selvitä|korjaa|palauta|hyvitä|tarkista"
    r"|kirjoita|soita|toimita|päivitä|tiedota|vaihda"
)
_RU_FIRST_PERSON = (
    r"свяжемся|свяжусь|ответим|отвечу|отправим|отправлю|вернём|вернем|верну|сообщим|сообщу|рассмотрим"
    r"|рассмотрю|обработаем|обработаю|проверим|проверю|исправим|исправлю|решим|решу|постараемся"
    r"|постараюсь|напишем|напишу|пришлём|пришлем|пришлю|вернёмся|вернемся"
    r"|вернусь|уточним|уточню|выясним|выясню|оформим|оформлю|возместим|возмещу|заменим|заменю|позвоним|позвоню"
)
_HE_FIRST_PERSON = (
    r"אחזור|נחזור|אשלח|נשלח|אעדכן|נעדכן|אבדוק|נבדוק|אחזיר|נחזיר|אצור|ניצור|אענה|נענה"
    r"|אסדר|נסדר|אתקן|נתקן|אזכה|נזכה|אתקשר|נתקשר|תקבל|תקבלי|תקבלו|יטופל|תטופל|יישלח|תישלח|יוחזר|יזוכה"
)

COMMITMENT = (
    # de: "ich werde", "wir melden uns", "Sie erhalten", "wird ... bearbeitet"
    r"\b(?:ich|wir)\s+(?:werde|werden)\b|\b(?:ich|wir)\s+(?:melde|melden)\s+(?:mich|uns)\b"
    r"|\bSie\s+(?:erhalten|bekommen|hören)\b"
    r"|\b(?:wird|werden)\s+(?:\w+\s+){0,4}(?:bearbeitet|versandt|versendet|verschickt|erstattet|geprüft"
    r"|zugestellt|gesendet|behoben|ersetzt|gutgeschrieben|erledigt)\b"
    # fi: the present is the future: "palaamme asiaan", "otan yhteyttä", "käsitellään"
    rf"|\b(?:{_FI_VERBS})(?:mme|n)\b|\botamme\s+yhteyttä\b"
    r"|\b(?:käsitellään|lähetetään|toimitetaan|palautetaan|hyvitetään|korjataan|tarkistetaan|selvitetään|ratkaistaan)\b"
    r"|\bsaat(?:te)?\s+(?:\w+\s+){0,3}(?:vastauksen|hyvityksen|korvaavan|vahvistuksen|seurantakoodin|päivityksen"
    r"|rahat|tiedon|ilmoituksen|sähköpostin|uuden)\b"
    # nb: "vi vil", "jeg skal", "du vil få svar", "vil bli behandlet"
    r"|\b(?:jeg|vi)\s+(?:skal|kommer\s+til\s+å)\b|\b(?:jeg|vi)\s+vil\s+(?:\w+\s+)?(?:sende|svare|kontakte|refundere"
    r"|ordne|sjekke|undersøke|komme|gi|oppdatere|behandle|returnere|erstatte|ringe|skrive)\b|\b(?:jeg|vi)\s+(?:tar|kommer)\s+(?:kontakt|tilbake)\b"
    r"|\bdu\s+(?:vil\s+)?(?:få|får|motta|mottar|høre|hører)\b(?=[^.!?]*\b(?:fra|svar|refusjon|oppdatering"
    r"|e-post|bekreftelse|sporing|erstatning|beskjed|pengene))"
    r"|\bvil\s+bli\s+(?:\w+\s+)?(?:behandlet|sendt|refundert|løst|fikset|erstattet|kreditert|undersøkt)\b"
    # ru: the first person of a perfective verb is its future
    rf"|\b(?:{_RU_FIRST_PERSON})\b|\bвы\s+получите\b"
    r"|(?<!не\s)\bбуд(?:ет|ут)\s+(?:\w+\s+)?(?:отправлен|обработан|рассмотрен|возвращен|возвращён|исправлен|решен|решён"
    r"|доставлен|зачислен|заменен|заменён)\w*"
    # he: a first-person future, "you will receive", "will be handled"
    rf"|(?:^|(?<=[\s(]))(?:{_HE_FIRST_PERSON})(?=$|[\s.,!?:;)])"
    # fr: "je vous répondrai", "nous allons", "vous recevrez", "sera traité"
    r"|\b(?:je|nous)\s+(?:(?:vous|l['’]|le|la|les|lui|y|en|ne)\s*)*(?:\w+(?:rai|[eiu]rons|rrons|drons)|vais|allons)\b"
    r"(?!\s+(?:avec\s+plaisir|volontiers))"
    r"|\bvous\s+(?:\w+\s+)?(?:recevrez|aurez|obtiendrez)\b"
    r"|\bser(?:a|ont)\s+(?:\w+\s+){0,2}(?:traitée?s?|envoyée?s?|expédiée?s?|remboursée?s?|résolue?s?"
    r"|corrigée?s?|examinée?s?|livrée?s?|remplacée?s?|créditée?s?)\b"
    # es: the future ("le responderé", "procesaremos"), "voy a", "recibirá", "será procesado"
    r"|\b\w{2,}(?:ré|remos)\b|\b(?:voy|vamos)\s+a\s+\w+r\b|\b(?:recibirá|recibirás|recibirán)\b"
    r"|\bser[áa]n?\s+(?:\w+\s+){0,2}(?:procesad|enviad|reembolsad|resuelt|revisad|atendid|gestionad)[oa]s?\b"
)
