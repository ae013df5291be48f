"""Find dates in article text and infer when the article was published.

Scraped articles state their date in many shapes and languages: "March 13, 2025",
"13. März 2025", "13 de marzo de 2025", "13 марта 2025", "13.03.2025", "3/13/2025".
This module finds them with one combined regular expression, built once per
process from CLDR month and weekday names (via babel, every width and context, so
Slavic genitives such as "марта" come for free), then reads the evidence the way
an editor would: a "Published" line, a dateline or "today (March 13)" says when
the article appeared; an "Updated" line bounds it from above; the dates of events
it reports bound it from below, since an article cannot report what had not yet
happened.

Pattern-first and conservative: a date is only what matches a known shape, and an
article whose text gives no usable date evidence is `unverifiable`, never a
contradiction. A library: no rules, no findings, no I/O.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import lru_cache

from auditor.patterns import line_screen, longest_first

LOCALES = ("en", "en_GB", "en_AU", "de", "de_AT", "de_CH", "fr", "es", "es_MX", "it",
           "pt", "pt_PT", "nl", "ru", "uk", "pl", "tr", "ca", "ro", "cs", "sv", "da", "nb",
           "fi", "hu", "el")
MIN_YEAR, MAX_YEAR = 1800, 2099


# --------------------------------------------------------------------- names

@dataclass(frozen=True)
class Names:
    """Month and weekday names of every locale in `LOCALES`, lower-case, without dots.

    A name that two locales give to different months (Czech "listopad" is
    November, Croatian October) is dropped: an ambiguous name is no evidence.
    `wide` and `wide_weekdays` hold the full names: only a full month name is
    trusted in a date without a year, and only a full weekday name without the
    dot or comma that marks an abbreviation ("Do., 10.02." but never "to 28th").
    """

    months: dict[str, int]
    wide: frozenset[str]
    weekdays: dict[str, int]
    wide_weekdays: frozenset[str]


def _clean(name: str) -> str:
    name = unicodedata.normalize("NFC", name).lower().strip().rstrip(".")
    for prefix in ("de ", "d’", "d'"):
        name = name.removeprefix(prefix)
    return name


def _unambiguous(table: dict[str, set[int]]) -> dict[str, int]:
    return {k: next(iter(v)) for k, v in table.items() if len(v) == 1}


@lru_cache(maxsize=1)
def names() -> Names:
    """The CLDR names, read from babel once per process."""
    from babel.dates import get_day_names, get_month_names

    months: dict[str, set[int]] = {}
    wide: set[str] = set()
    weekdays: dict[str, set[int]] = {}
    wide_days: set[str] = set()
    for loc in LOCALES:
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for getter, shortest, table, wide_set in (
                        (get_month_names, 3, months, wide), (get_day_names, 2, weekdays, wide_days)):
                    for number, name in getter(width, context, loc).items():
                        key = _clean(name)
                        if len(key) >= shortest:
                            table.setdefault(key, set()).add(number)
                            if width == "wide":
                                wide_set.add(key)
    month_map = _unambiguous(months)
    day_map = {k: v for k, v in _unambiguous(weekdays).items() if k not in months}
    return Names(month_map, frozenset(wide) & frozenset(month_map), day_map,
                 frozenset(wide_days) & frozenset(day_map))


def _trie(words) -> str:
    """An alternation of `words` factored by common prefixes: "ma(?:r(?:ch|zo)|y)".

    Python's regex engine tries alternatives one by one; sharing prefixes makes a
    few hundred month and weekday names cost about as much as a dozen.
    """
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _emit(root)


def _emit(node: dict) -> str:
    ends = "" in node
    alts = [re.escape(ch) + _emit(sub) for ch, sub in sorted(node.items()) if ch]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    if ends:
        return f"(?:{body})?" if len(alts) == 1 else body + "?"
    return body


# ------------------------------------------------------------------- pattern

S = r"[ \t\u00a0\u202f]"  # a space that does not end the line
YEAR = r"(?:1[89]|20)\d\d(?![\d/]|[.:]\d)"
DAY = r"[0-3]?\d"
ORDINAL = r"(?i:st|nd|rd|th|er|ᵉʳ|º|°|ª|-?го|-?е)?"
OF = r"(?i:de|del|of)"
SHORT_YEAR_PIVOT = 69  # 13.03.69 is 1969, 13.03.68 is 2068 (as POSIX strptime reads %y)
FORMS = ("iso", "num", "short", "dm", "ym", "cjk", "md", "my")


@lru_cache(maxsize=1)
def pattern() -> re.Pattern:
    """The one expression that finds every date shape; compiled once per process.

    It has two branches, so that most positions of a text fail at once: one for
    dates that start with a digit, one for dates that start with a month name.
    Month names are a prefix tree of their cased forms, not an alternation.
    A weekday before a date is read afterwards (`weekday_before`).
    """
    mon = f"(?:{_trie(_cased(names().months))})"
    digit_led = [
        # 2025-03-13, 2025/03/13, 2025.03.13: year first is always Y-M-D
        rf"(?P<iso>(?P<iso_y>(?:19|20)\d\d)(?P<iso_s>[-/.])(?P<iso_m>[01]?\d)"
        rf"(?P=iso_s)(?P<iso_d>{DAY})(?![\d/]|\.\d))",
        # 13.03.2025 (day first); 3/13/2025 and 13-03-2025 (order settled later)
        rf"(?P<num>(?P<num_a>{DAY})(?P<num_s>[./-]){S}?(?P<num_b>[01]?\d)"
        rf"(?P=num_s){S}?(?P<num_y>{YEAR}))",
        # 13.03.25: a two-digit year only with two-digit day and month, dotted
        r"(?P<short>(?P<short_d>[0-3]\d)\.(?P<short_m>[01]\d)\.(?P<short_y>\d\d)(?!\d|[.:]\d))",
        # 13 March 2025, 13. März 2025, 13 de marzo de 2025, 1er mars, 13th of March
        rf"(?P<dm>(?P<dm_d>{DAY}){ORDINAL}\.?(?:{S}?[-–]{S}?|{S}*)"
        rf"(?:{OF}{S}+|d[’'])?(?P<dm_m>{mon})\.?(?!\w)"
        rf"(?:[-,]?{S}*(?:{OF}{S}+)?(?P<dm_y>{YEAR}))?)",
        # 2025. március 13. (Hungarian)
        rf"(?P<ym>(?P<ym_y>{YEAR})\.?{S}+(?P<ym_m>{mon})\.?{S}+(?P<ym_d>{DAY})(?!\d))",
        # 2025年3月13日, 2025년 3월 13일
        rf"(?P<cjk>(?P<cjk_y>(?:19|20)\d\d){S}*[年년]{S}*(?P<cjk_m>[01]?\d){S}*[月월]"
        rf"(?:{S}*(?P<cjk_d>{DAY}){S}*[日일])?)",
    ]
    month_led = (
        rf"(?P<mon>{mon})\.?(?:"
        # March 13, 2025; Mar. 13 2025; March 13th; June 5-7, 2025
        rf"(?P<md>{S}+(?P<md_d>{DAY}){ORDINAL}(?:{S}?[-–]{S}?{DAY})?(?![\d:%.,]\d|\w)"
        rf"(?:,?{S}+(?P<md_y>{YEAR}))?)"
        # March 2025, marzo de 2025
        rf"|(?P<my>,?{S}+(?:{OF}{S}+)?(?P<my_y>{YEAR})))"
    )
    return re.compile(
        rf"(?<![\d.,/:])(?=\d)(?:{'|'.join(digit_led)})|(?<!\w)(?=[^\W\d_]){month_led}")


def _cased(words) -> set[str]:
    """Each name as written in running text, in a title and in capitals.

    Matching these exactly is about twice as fast as matching case-insensitively.
    """
    return {form for w in words for form in (w, w.capitalize(), w.title(), w.upper())}


@lru_cache(maxsize=1)
def _weekday_pattern() -> re.Pattern:
    n = names()
    article = rf"(?:(?:the|den|der|dem|le|el|il|de){S}+)?"
    full = _trie(n.wide_weekdays)
    short = _trie(set(n.weekdays) - n.wide_weekdays)
    return re.compile(rf"(?<!\w)(?:({full}),?|({short})(?:\.,?|,)){S}+{article}$", re.IGNORECASE)


def weekday_before(text: str, start: int) -> tuple[int, int] | None:
    """The weekday written just before `start` ("Thursday, " in "Thursday, March 13"):
    its number (Monday is 0) and where it starts."""
    window = text[max(0, start - 40):start]
    m = _weekday_pattern().search(window)
    if not m:
        return None
    return names().weekdays[_clean(m.group(1) or m.group(2))], start - len(window) + m.start()


# ------------------------------------------------------------------ mentions

@dataclass(frozen=True)
class DateMention:
    """A date as written in the text.

    `readings` holds every calendar date the text can mean: one when the shape
    is clear, two for a numeric date like 03/04/2025 whose order the document
    does not settle, none when it names no real day (31 February).
    `precision` is "day" or "month" (then the reading is the 1st of the month).
    `year_from` says where the year came from: "text"; "weekday", when a date
    written without one ("Tuesday, April 14") fits only one year near the
    reference; "reference", when it is merely the nearest such day.
    """

    start: int
    end: int
    text: str
    readings: tuple[dt.date, ...]
    precision: str
    form: str
    year_from: str = "text"
    weekday: int | None = None

    @property
    def date(self) -> dt.date | None:
        """The date when the text says it unambiguously."""
        return self.readings[0] if len(self.readings) == 1 else None

    @property
    def invalid(self) -> bool:
        return not self.readings

    @property
    def weekday_mismatch(self) -> bool:
        """A stated weekday that the date does not fall on."""
        return (self.weekday is not None and bool(self.readings)
                and all(r.weekday() != self.weekday for r in self.readings))


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def nearest_year(month: int, day: int, reference: dt.date) -> int | None:
    """The year that puts month/day closest to `reference` (for "March 13")."""
    candidates = [d for y in (reference.year - 1, reference.year, reference.year + 1)
                  if (d := _safe_date(y, month, day))]
    return min(candidates, key=lambda d: abs(d - reference)).year if candidates else None


def nearest_day(m: DateMention, reference: dt.date) -> dt.date | None:
    """The day a mention without a year names, taken in the year nearest `reference`."""
    if not m.readings:
        return None
    day = m.readings[0]
    year = nearest_year(day.month, day.day, reference)
    return _safe_date(year, day.month, day.day) if year else None


def _weekday_year(month: int, day: int, weekday: int, reference: dt.date) -> int | None:
    """The one year within three of `reference` whose month/day falls on `weekday`."""
    years = [y for y in range(reference.year - 3, reference.year + 4)
             if (d := _safe_date(y, month, day)) and d.weekday() == weekday]
    return years[0] if len(years) == 1 else None


def _yearless_ok(form: str, token: str, matched: str) -> bool:
    """Whether a date without a year is a date and not a phrase such as "Python 3 may".

    It needs a full month name or a dotted abbreviation ("Mar. 13"); month-first
    it needs a capital, as the languages that write the month first use one;
    lower-case "may" after a number is the English verb.
    """
    if form == "md" and not token[:1].isupper():
        return False
    if token == "may":
        return False
    return _clean(token) in names().wide or f"{token}." in matched


_has_digit = re.compile(r"\d").search


@lru_cache(maxsize=1)
def _screen():
    """`patterns.line_screen` of `pattern()`, built once per process (or None)."""
    return line_screen(pattern())


def _matches(text: str) -> list[re.Match]:
    """`pattern().finditer(text)`, run only over the lines that hold a digit and
    that the pattern's RE2 screen finds may hold a date.

    Every date shape has a digit (a day, a month number or a year) and none spans
    a line break, so a line without a digit holds no date; most prose lines have
    none, and skipping them is most of the cost of finding dates. Of the lines
    with a digit, most hold none either (a number, a price, a score): the screen,
    which over-selects but never misses, rules them out in one linear scan.
    """
    finditer = pattern().finditer
    may_match = _screen()
    out: list[re.Match] = []
    pos, n = 0, len(text)
    while pos < n:
        digit = _has_digit(text, pos)
        if digit is None:
            break
        at = digit.start()
        nl = text.rfind("\n", pos, at)
        start = nl + 1 if nl >= 0 else pos
        end = text.find("\n", at)
        end = n if end < 0 else end
        if may_match is None or may_match(text[start:end]):
            out.extend(finditer(text, start, end))
        pos = end + 1
    return out


def find_dates(text: str, order: str | None = None,
               reference: dt.date | None = None) -> list[DateMention]:
    """Every date mention in `text`, in order.

    `order` ("dmy" or "mdy") settles numeric dates like 03/04/2025; without it the
    document settles them (03/04/2025 is April 3rd beside 13/04/2025, and March
    4th beside March 13, 2025), and they stay ambiguous otherwise. `reference`
    (usually the header date) gives the year of dates written without one;
    without it such dates are skipped.
    """
    matches = _matches(text)
    order = order or _document_order(matches)
    out = []
    for m in matches:
        mention = _mention(m, text, order, reference)
        if mention is not None:
            out.append(mention)
    return out


def _document_order(matches) -> str | None:
    """'dmy' or 'mdy' as the document's own dates settle it, else None."""
    numeric, named = set(), {"dm": 0, "md": 0}
    for m in matches:
        if m.group("num") and m.group("num_s") != ".":
            a, b = int(m.group("num_a")), int(m.group("num_b"))
            if a > 12 >= b:
                numeric.add("dmy")
            elif b > 12 >= a:
                numeric.add("mdy")
        elif (m.group("dm") and m.group("dm_y")) or (m.group("md") and m.group("md_y")):
            named["dm" if m.group("dm") else "md"] += 1
    if numeric:
        return numeric.pop() if len(numeric) == 1 else None
    if named["dm"] != named["md"] and min(named.values()) == 0:
        return "dmy" if named["dm"] else "mdy"
    return None


def _numeric_readings(a: int, b: int, y: int, sep: str, order: str | None):
    if sep == ".":
        return (_safe_date(y, b, a),)
    dmy, mdy = _safe_date(y, b, a), _safe_date(y, a, b)
    if order == "dmy" or mdy is None:
        return (dmy,)
    if order == "mdy" or dmy is None:
        return (mdy,)
    return (dmy,) if dmy == mdy else (dmy, mdy)


def _mention(m: re.Match, text: str, order: str | None,
             reference: dt.date | None) -> DateMention | None:
    g = m.group
    form = next(f for f in FORMS if g(f))
    prefix = weekday_before(text, m.start()) if form in ("num", "short", "dm", "md", "iso") \
        else None
    weekday = prefix[0] if prefix else None
    precision, year_from = "day", "text"
    if form == "iso":
        readings = (_safe_date(int(g("iso_y")), int(g("iso_m")), int(g("iso_d"))),)
    elif form == "num":
        readings = _numeric_readings(int(g("num_a")), int(g("num_b")), int(g("num_y")),
                                     g("num_s"), order)
    elif form == "short":
        year = int(g("short_y"))
        year += 1900 if year >= SHORT_YEAR_PIVOT else 2000
        readings = (_safe_date(year, int(g("short_m")), int(g("short_d"))),)
    elif form == "cjk":
        day = int(g("cjk_d") or 1)
        precision = "day" if g("cjk_d") else "month"
        readings = (_safe_date(int(g("cjk_y")), int(g("cjk_m")), day),)
    elif form == "my":
        precision = "month"
        readings = (_safe_date(int(g("my_y")), names().months[_clean(g("mon"))], 1),)
    else:
        token = g("mon") if form == "md" else g(f"{form}_m")
        day, year = int(g(f"{form}_d")), g(f"{form}_y")
        month = names().months[_clean(token)]
        if year is None:
            if reference is None or not _yearless_ok(form, token, g(0)):
                return None
            year, year_from = _year_without_text(month, day, weekday, reference)
            if year is None:
                return None
        readings = (_safe_date(int(year), month, day),)
    valid = tuple(r for r in readings if r is not None and MIN_YEAR <= r.year <= MAX_YEAR)
    if not valid and (form in ("iso", "num", "short", "cjk") or year_from != "text"):
        return None  # numbers that name no day are not a date at all
    start = prefix[1] if prefix else m.start()
    return DateMention(start, m.end(), text[start:m.end()], valid, precision, form,
                       year_from, weekday)


def _year_without_text(month: int, day: int, weekday: int | None,
                       reference: dt.date) -> tuple[int | None, str]:
    if weekday is not None:
        year = _weekday_year(month, day, weekday, reference)
        if year is not None:
            return year, "weekday"
    return nearest_year(month, day, reference), "reference"


# ------------------------------------------------------------------ contexts

MARKERS = {
    "published": (
        "published", "posted", "first published", "publication date", "veröffentlicht",
        "publiziert", "erstellt", "erschienen", "publié", "publiée", "publication",
        "publicado", "publicada", "publicación", "pubblicato", "pubblicata",
        "pubblicazione", "gepubliceerd", "geplaatst", "опубликовано", "опубликован",
        "дата публикации", "опубліковано", "opublikowano", "data publikacji", "yayınlanma",
        "yayın tarihi", "yayınlandı", "publicat", "publikováno", "publicerad", "publiceret",
        "julkaistu", "közzétéve", "eintrag", "veröffentlichungsdatum", "erscheinungsdatum",
        "date de publication", "publicatiedatum", "입력", "기사입력", "등록", "발행", "公開", "掲載",
        "配信", "投稿", "发布", "發布", "发表", "發表", "日期", "date", "dated", "datum", "fecha",
        "data", "дата"),
    "updated": (
        "updated", "last updated", "last update", "latest update", "update", "last modified", "modified", "last edited", "edited",
        "revised", "aktualisiert", "zuletzt aktualisiert", "zuletzt bearbeitet", "bearbeitet",
        "zuletzt geändert", "geändert", "stand", "stand des artikels", "letzte aktualisierung",
        "dernière mise à jour", "última actualización", "ultimo aggiornamento",
        "última atualização", "laatst bijgewerkt", "ostatnia aktualizacja", "mis à jour", "mise à jour", "modifié",
        "actualizado", "actualizada", "actualización", "aggiornato", "aggiornata",
        "aggiornamento", "atualizado", "atualizada", "atualização", "bijgewerkt", "gewijzigd",
        "обновлено", "обновлен", "изменено", "оновлено", "zaktualizowano", "aktualizacja",
        "güncellendi", "güncelleme", "güncellenme", "actualizat", "aktualizováno",
        "uppdaterad", "opdateret", "päivitetty", "frissítve", "수정", "更新"),
    "today": (  # French "hier" only with its comma: German "hier am 5. Mai" means "here"
        "today", "yesterday", "tonight", "heute", "gestern", "aujourd'hui", "aujourd’hui",
        "hier,", "hoy", "ayer", "oggi", "ieri", "hoje", "ontem", "vandaag", "gisteren",
        "сегодня", "вчера", "сьогодні", "вчора", "dzisiaj", "dziś", "wczoraj", "bugün", "dün",
        "σήμερα", "χθες", "astăzi", "azi", "dnes", "včera", "idag", "i dag", "igår", "i går",
        "tänään", "eilen", "tegnap"),
}
# The markers that are participles ("Published", "Veröffentlicht", "Mis à jour"): written
# with a capital in the middle of a line, they open a segment of it (a page's text run
# together: "… Live vom KnowledgeCamp 2019 Veröffentlicht am 17. Dezember 2019 von …").
# Nouns ("Stand", "Datum") are capitalised anywhere in German, and "Erschienen am" may be
# a book's date in a review: they are left out.
PARTICIPLE_MARKERS = (
    "published", "posted", "first published", "veröffentlicht", "publiziert", "erstellt",
    "publié", "publiée", "publicado", "publicada", "pubblicato", "pubblicata", "gepubliceerd",
    "geplaatst", "opublikowano", "опубликовано", "опубліковано", "publicat", "publikováno",
    "publicerad", "publiceret", "julkaistu", "updated", "last updated", "modified",
    "aktualisiert", "zuletzt aktualisiert", "bearbeitet", "zuletzt bearbeitet", "mis à jour",
    "actualizado", "actualizada", "aggiornato", "aggiornata", "atualizado", "atualizada",
    "bijgewerkt", "gewijzigd", "обновлено", "оновлено", "zaktualizowano", "aktualizováno",
    "uppdaterad", "opdateret", "päivitetty")
# Before a "published" marker, these make it an earlier publication of the text.
ORIGINAL_WORDS = ("originally", "ursprünglich", "zuerst", "initialement", "originalmente",
                  "originariamente", "oorspronkelijk", "первоначально", "спочатку",
                  "pierwotnie", "původně")
# Just before a date, these make it a deadline or the edge of a range: it may lie
# after the article as well as before it.
UNSURE_BEFORE = (
    "until", "till", "through", "by", "from", "starting", "effective", "next", "upcoming",
    "before", "between", "ab", "bis", "spätestens", "künftig", "zum", "zwischen", "jusqu",
    "partir", "dès", "prochain", "prochaine", "avant", "entre", "hasta", "próximo",
    "próxima", "antes", "fino", "entro", "dal", "tra", "prossimo", "prossima", "até", "tot",
    "vanaf", "uiterlijk", "tussen", "до", "с", "со", "з", "із", "между", "od", "do",
    "kadar", "itibaren", "până", "din",
    # "since": the start of a span that runs up to the article, however long ago
    "since", "seit", "seitdem", "desde", "depuis", "sinds", "sedan", "siden", "beri", "από",
    "від", "от",
    # a birth or a founding: long past by nature, it says nothing of when the article
    # appeared
    "born", "geboren", "né", "née", "nacido", "nacida", "nato", "nata", "nascido",
    "founded", "established", "gegründet", "fondé", "fondée", "fundado", "fundada",
    "fondato", "fondata", "opgericht")
# In the clause of a date, these may speak of the future or of the past (German
# "wird" is also the passive).
UNSURE_CLAUSE = ("wird", "werden",
                 # a rule's validity: it takes effect, or took effect, on the date
                 "takes effect", "take effect", "took effect", "into force", "in kraft",
                 "en vigueur", "en vigor", "in vigore", "em vigor", "in werking", "в силу",
                 # an anniversary recalls an old date on purpose: it is not the news
                 "anniversary", "years ago", "jahrestag", "jubiläum", "anniversaire",
                 "aniversario", "anniversario", "aniversário", "verjaardag", "jubileum",
                 "годовщина", "годовщину", "річниця", "річницю", "rocznica", "rocznicę",
                 "yıl dönümü", "yıldönümü")
# In the clause of a date, these announce it: the article was written before it.
PLAN_WORDS = (
    "will", "shall", "scheduled", "planned", "expected", "slated", "due to", "is set to",
    "are set to", "set for", "to be held", "soll", "sollen", "wollen", "geplant",
    "stattfinden", "findet", "voraussichtlich", "bevorstehend", "sera", "seront",
    "aura lieu", "se tiendra", "prévu", "prévue", "será", "serán", "tendrá lugar",
    "se celebrará", "previsto", "prevista", "sarà", "saranno",
    # a date moved is a date still to come, whatever the tense of the move
    "postponed", "rescheduled", "moved to", "pushed back", "brought forward", "verlegt",
    "verlegen", "verschoben", "verschieben", "vorgezogen", "reporté", "reportée", "aplazado",
    "aplazada", "pospuesto", "pospuesta", "rinviato", "rinviata", "posticipato", "adiado",
    "adiada", "uitgesteld", "перенесен", "перенесено", "перенесли", "przełożony",
    "si terrà", "serão", "irá", "acontecerá", "zal", "zullen", "vindt", "gepland", "будет",
    "состоится", "пройдет", "пройдёт", "планируется", "буде", "відбудеться", "пройде",
    "планується", "będzie", "odbędzie", "olacak", "yapılacak", "gerçekleştirilecek", "lesz",
    "θα", "va avea loc", "va fi")
# The future tense of Spanish, Portuguese and Italian verbs ("organizará", "realizarão",
# "terrà"): an announcement, like the words above.
FUTURE_FORMS = r"[a-záéíóúñç]{3,}(?:rá|rán|rão|rà|ranno)"
# In the clause of a date, these say that it reports what happened (the past tense), in
# the languages whose past a short list can tell: past forms that are nothing else in any
# of them (so not English "was", German "what", nor "met", Dutch "with")...
PAST_WORDS = (
    # English
    "were", "had", "did", "said", "told", "came", "went", "took", "gave", "found", "held",
    "won", "lost", "began", "became", "left", "saw", "got", "fell", "sent", "wrote", "spoke",
    "brought", "led", "fought", "sold", "struck", "kept", "paid", "built", "broke", "shot",
    "ran", "ago",
    # German
    "hatte", "hatten", "waren", "wurde", "wurden", "worden", "fand", "fanden", "kam", "kamen",
    "gab", "ging", "gingen", "starb", "begann", "gewann", "verlor", "hielt", "traf", "stieg",
    "fiel", "sprach", "erschien", "entschied", "beschloss", "sagte", "sagten", "teilte",
    "erklärte", "meldete", "berichtete", "gestorben", "verstorben", "erschienen", "gewesen",
    # French
    "fut", "furent", "eut", "eurent", "avait", "avaient", "était", "étaient",
    # Spanish
    "fue", "fueron", "había", "habían", "hubo", "dijo", "hizo", "tuvo", "estuvo",
    # Italian
    "fu", "furono", "aveva", "avevano", "disse", "fece", "ebbe",
    # Portuguese
    "foi", "foram", "tinha", "tinham", "houve", "fez", "teve", "esteve",
    # Dutch
    "hadden", "werd", "zei", "zeiden", "kwam", "kwamen", "vond", "stierf")
# ...and regular past endings and compound pasts (an auxiliary with a participle: "hat"
# alone is also the present, "hat ... gesagt" is not). Lower case: names are not verbs.
PAST_FORMS = (
    r"[a-z]{2,}(?<![eo])ed(?<!hundred)",  # English "arrested"; not "need", Dutch "goed"
    r"[a-záéíóúñ]{2,}(?:ó|aron|ió|ieron)",  # Spanish "organizó", "llegaron"
    r"[a-záéíóúâêôãõç]{2,}(?:aram|eram|iram|iu)|[a-záéíóúâêôãõç]{3,}(?<!est)ou",  # Portuguese
    r"[a-zàèéìòù]{2,}(?:arono|erono|irono)",  # Italian "arrivarono"
    # German and Dutch: "hat/haben/heeft/hebben" with a participle, in either order
    r"(?:hat|haben|habe|heeft|hebben)\b.{0,80}?\b(?:ge[a-zäöüß]{3,}(?:t|en|d)|"
    r"(?:be|ent|er|ver|zer)[a-zäöüß]{3,}t|[a-zäöüß]{3,}iert)(?!\w)",
    r"(?:ge[a-zäöüß]{3,}(?:t|en|d)|(?:be|ent|er|ver|zer)[a-zäöüß]{3,}t|[a-zäöüß]{3,}iert)"
    r"\s+(?:hat|haben|habe|heeft|hebben)",
    # German: the participles of completed acts as attributes ("das am 16. Februar
    # veröffentlichte Manifest", "die am 6. Februar eingereichte Klage")
    r"(?:veröffentlicht|vorgestellt|verabschiedet|unterzeichnet|verkündet|eingereicht|gefällt|"
    r"erschienen|ergangen|beschlossen)(?:e|en|er|es)?",
    # French: "a/ont" with a participle, "est/sont" with one of the verbs that take "être"
    r"(?:a|ont)\s+(?:(?:été|déjà|ensuite|alors|aussi|également)\s+)?"
    r"(?:[a-zàâçéèêëîïôûùüœ]{2,}(?:é|ée|és|ées)|dit|fait|pris|mis|écrit|vu|eu|reçu|perdu|"
    r"rendu|obtenu|ouvert|offert|découvert)",
    r"(?:est|sont)\s+(?:mort|morte|décédé|décédée|arrivé|arrivée|parti|partie|venu|venue|"
    r"tombé|tombée|entré|entrée|sorti|sortie|devenu|devenue|resté|restée)s?",
    # Italian: "ha/hanno/è/sono" with a participle ("è stato arrestato")
    r"(?:ha|hanno|è|sono)\s+(?:già\s+)?[a-zàèéìòù]{2,}(?:at|it|ut)[oaie]",
    # Spanish: "ha/han" with a participle
    r"(?:ha|han)\s+[a-záéíóúñ]{2,}(?:ado|ido|cho|to)s?",
    # Russian and Ukrainian: "-л", "-ла", "-ли" after a vowel
    r"[а-яёіїєґ]+[аяиеыоуіїє]л(?:а|о|и)?(?:ся|сь)?",
    # Polish: "-ł", "-ła" after a vowel, "-li" after two letters (not Dutch "juli")
    r"[a-ząćęłńóśźż]+[aeiouyąę]ł(?:a|o|y|em|am)?|[a-ząćęłńóśźż]{2,}[aeiouyąę]li",
)
# Just before a date, these make it the date of a document the article cites (a law, a
# ruling, an agreement, a letter, a press release): a reference, not a report of news.
CITED_WORDS = (
    "law", "act", "decree", "ruling", "judgment", "judgement", "decision", "order",
    "agreement", "treaty", "accord", "resolution", "directive", "regulation", "letter",
    "report", "statement", "press release", "urteil", "beschluss", "entscheidung", "gesetz",
    "verordnung", "vertrag", "abkommen", "erlass", "schreiben", "brief", "bescheid",
    "pressemitteilung", "mitteilung", "bericht", "richtlinie", "loi", "décret", "arrêt",
    "arrêté", "décision", "traité", "ordonnance", "circulaire", "lettre", "communiqué",
    "rapport", "jugement", "ley", "decreto", "sentencia", "resolución", "acuerdo", "tratado",
    "fallo", "carta", "comunicado", "informe", "legge", "sentenza", "ordinanza", "accordo",
    "trattato", "lettera", "comunicato", "delibera", "lei", "sentença", "acordo", "portaria",
    "resolução", "wet", "besluit", "uitspraak", "verdrag", "akkoord")
CITED_LINKS = ("vom", "v.", "dated", "datiert", "daté du", "datée du", "de fecha",
               "en date du")
# Between two dates of one line, these make them the two ends of a span ("from 14 March to
# 13 May", "6.–7. März"): neither is a day something happened on.
RANGE_GAP = re.compile(
    r"\s*(?:[-–—/]|bis(?: zum| zur| einschließlich)?|to|till|until|through|au|jusqu['’]au|"
    r"à|a|al|hasta(?: el)?|fino al|tot(?: en met)?|до|по|do)\s*",
    re.IGNORECASE)
DAY_RANGE_BEFORE = re.compile(r"(?<![\d.])[0-3]?\d\.?(?:" + RANGE_GAP.pattern + r")$",
                              re.IGNORECASE)
# A photo caption or credit: its date is when the picture was taken, never the article's.
CAPTION_RE = re.compile(
    r"(?:^|[\s(\[|])(?:file photo|photos?|fotos?|bild|bildquelle|image|picture|pictured|"
    r"caption|imagen|immagine|illustration|crédit|credit|crédito)\s*[:/]"
    r"|^\s*(?:FILE ?[-–—]\s|In this (?:file )?(?:photo|image|picture|handout))"
    r"|\b(?:AP Photo|Getty Images|AFP Photo)\b", re.IGNORECASE)
TIME_AFTER = re.compile(
    r"[ \t,|·–—-]*(?:um|at|à|a las|alle|às|om|в|о|o|saat)?\s*[0-2]?\d[:.h][0-5]\d(?::\d\d)?"
    r"(?:\s*(?:uhr|h|am|pm|a\.m\.|p\.m\.|[a-z]{2,4}\b))?", re.IGNORECASE)
SEPARATORS = "|-–—·•,:;(/[]>»"
TWEET_RE = re.compile(r"^\s*[—–-]+\s.*\(@\w+\)")
# A link, or the date in brackets after one: when a source was read ("….pdf [13.10.2021]")
URL_BEFORE = re.compile(r"(?:https?:|www\.|/)\S*(?:\s*[\[(])?$")
COPYRIGHT_RE = re.compile(r"©|\(c\)|copyright", re.IGNORECASE)
# A reference's access date: when a source was read, not when anything happened.
ACCESSED_BEFORE = re.compile(r"\b(?:accessed|retrieved|abgerufen|consulté|consultado|consultato)"
                             r"(?: (?:at|from|via|unter|sur) \S+)?(?: on| am| le| el| il)?[ ,:]*$",
                             re.IGNORECASE)
# A sentence in which the article says when it was posted: "This entry was posted on …",
# "Der Beitrag wurde am … veröffentlicht", "Cet article a été publié le …" (the footer of
# a blog theme). It names the text it stands in, so it holds wherever it stands: with
# "this" ("dieser", "cet", "este", "questo", "dit"…), or with "the" ("der", "l'", "el"…)
# beside the words of a blog's filing ("in der Kategorie …", "filed under …", "tagged");
# "the article was published on 3 May in Nature" is another text's date.
SELF_DEMONSTRATIVE = ("this", "dieser", "diese", "dieses", "cet", "cette", "este", "esta",
                      "questo", "questa", "dit", "deze", "ten", "ta", "ez", "этот", "эта")
SELF_DEFINITE = ("the", "der", "die", "das", "l'", "l’", "le", "la", "el", "il", "het", "o", "a")
SELF_NOUNS = ("entry", "post", "article", "story", "blog post", "beitrag", "artikel",
              "eintrag", "text", "blogbeitrag", "billet", "entrée", "entrada", "publicación",
              "artículo", "articolo", "voce", "bericht", "artigo", "publicação", "wpis", "bejegyzés",
              "запись", "статья")
SELF_AUX = ("was", "has been", "wurde", "ist", "a été", "fut", "fue", "ha sido", "è stato",
            "è stata", "fu", "werd", "is", "foi", "został", "została", "была", "был")
SELF_PUBLISHED = ("posted", "published", "written", "created", "veröffentlicht", "erstellt",
                  "geschrieben", "publiziert", "verfasst", "eingestellt", "gepostet", "publié",
                  "publiée", "posté", "postée", "écrit", "écrite", "rédigé", "rédigée",
                  "mis en ligne", "mise en ligne", "publicado", "publicada", "escrito", "escrita",
                  "pubblicato", "pubblicata", "scritto", "scritta", "geplaatst", "gepubliceerd",
                  "geschreven", "opublikowany", "opublikowana", "dodany", "dodana",
                  "опубликована", "опубликован", "написана")
SELF_UPDATED = ("updated", "last updated", "modified", "edited", "aktualisiert", "bearbeitet",
                "geändert", "mis à jour", "mise à jour", "modifié", "modifiée", "actualizado",
                "actualizada", "modificado", "modificada", "aggiornato", "aggiornata",
                "modificato", "modificata", "bijgewerkt", "gewijzigd", "atualizado", "atualizada",
                "zaktualizowany", "zaktualizowana", "обновлена", "обновлен")
SELF_FILING = re.compile(r"kategorie|categor|filed under|tagged|abgelegt|stichw|schlagw|"
                         r"classé|archivad|archiviat|rubrik|gearchiveerd|permalink", re.IGNORECASE)
# A suggested citation of the article: the heading above it, or the start of its line.
CITE_SELF_RE = re.compile(
    r"zitiervorschlag|zitierweise|zitierhinweis|zitieren als|zitation dieses|"
    r"cite this (?:article|post|page|entry|blog post)|citer ce(?:t)? (?:billet|article)|"
    r"pour citer ce|cómo citar este|citar este (?:artículo|texto)|come citare quest|"
    r"per citare quest|citeer dit|citeerwijze|como citar este", re.IGNORECASE)
CITE_HEADING_MAX_WORDS = 20
SELF_REACH = 200  # characters of the sentence read on either side of a date for its verb
QUOTED_TITLE = '[„"“«][^„"“”»]{1,120}[“"”»]'
CLAUSE_END = re.compile(r"[!?;]|\.\s+(?=[(\"„“«]?[^\W\d_][^\W\d_])")
SENTENCE_END = tuple(".!?。！？")
NEWLINE_RE = re.compile("\n")
DATELINE_MAX_WORDS = 14
CONTEXT = 200  # characters of a line read on either side of a date
LONG_LINE = 1000  # a line this long is prose, whatever its word count
LEAD_MAX_WORDS = 4
MARKER_MAX_PREFIX_WORDS = 4
TOP_LINES = 12
RANGE_MAX_GAP = 24  # characters between the two ends of a span on one line


def _words(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=longest_first))


@lru_cache(maxsize=1)
def _context_patterns() -> dict[str, re.Pattern]:
    connector = r"(?:[ \t]*(?:on|am|le|el|il|em|op|в|o|den|dem|the|:|-|–|—|\||,|\())*[ \t]*"
    out = {kind: re.compile(rf"(?<!\w)(?:{_words(words)}){connector}$", re.I)
           for kind, words in MARKERS.items()}
    article = (rf"(?:{_words(SELF_NOUNS)})(?:[ \t]+{QUOTED_TITLE})?[ \t]+"
               rf"(?:{_words(SELF_AUX)})(?!\w).{{0,200}}?(?<!\w)")
    for kind, verbs in (("published", SELF_PUBLISHED), ("updated", SELF_UPDATED)):
        for det, words in (("this", SELF_DEMONSTRATIVE), ("the", SELF_DEFINITE)):
            out[f"self-{kind}-{det}"] = re.compile(
                rf"(?<!\w)(?:{_words(words)})[ \t]*{article}(?:{_words(verbs)})(?!\w)", re.I)
    out["original"] = re.compile(rf"(?<!\w)(?:{_words(ORIGINAL_WORDS)})(?!\w)", re.I)
    out["unsure_before"] = re.compile(
        rf"(?<!\w)(?:{_words(UNSURE_BEFORE)})(?!\w)[^,;:()]*$", re.I)
    out["unsure_clause"] = re.compile(rf"(?<!\w)(?:{_words(UNSURE_CLAUSE)})(?!\w)", re.I)
    out["planned"] = re.compile(
        rf"(?<!\w)(?:{_words(PLAN_WORDS)})(?!\w)|(?<!\w)(?-i:{FUTURE_FORMS})(?!\w)", re.I)
    out["past"] = re.compile(rf"(?<!\w)(?i:{_words(PAST_WORDS)})(?!\w)"
                             rf"|(?<!\w)(?:{'|'.join(PAST_FORMS)})(?!\w)")
    out["cited"] = re.compile(
        rf"(?<!\w)(?:(?:{_words(CITED_LINKS)})|(?:{_words(CITED_WORDS)})(?!\w)[^.;:!?]{{0,40}}?"
        rf"(?<!\w)(?:of|du|del|de|dal|van|vom|von|from|dated))[ \t]*(?:the[ \t]+)?$", re.I)
    return out


@dataclass(frozen=True)
class Located:
    """A date mention placed in its document: its line and what it does there.

    `role` is one of
    - "published": after a "Published", "Veröffentlicht am" or "Date:" marker, in a
      sentence that says when the article was posted ("This entry was posted on
      …", "Der Beitrag wurde am … veröffentlicht"), or in a suggested citation of
      the article ("Zitiervorschlag", "Cite this article");
    - "updated": after an "Updated", "Stand" or "mis à jour" marker ("Latest update",
      "Letzte Aktualisierung"), or in a sentence saying when the article was updated;
    - "today": right after "today", "heute", "σήμερα"… (or "yesterday");
    - "dateline": on its own on a short line near the top (after a byline or a
      name too: "By Jane Doe - May 4, 2022", "Posted by admin on May 4, 2022",
      "Jane Doe 3/5/2022 22:41"), or
      leading the first paragraph ("(18.01.2018) Farmers fear…", "31. Oktober 2023.
      Dragqueens sind…");
    - "closing": alone on the last line, as a blog post's sign-off or a "last
      modified" stamp: the article was written by then;
    - "embed": the date of a quoted post (— Name (@handle) March 13, 2025);
    - "original": when the article first appeared, for a republished one
      ("originally published on May 3, 2019", "ursprünglich am … erschienen");
    - "planned": announced as to come ("the summit will open on May 26");
    - "unsure": a deadline or one end of a span ("until May 26", "ab 1. Januar",
      "since 6 March 2002", "from 14 March to 13 May"), a birth or a founding,
      or in a clause that may speak of the future: it may lie either side of
      the article's date;
    - "cited": the date of a document the article cites ("the ruling of 4 May
      2022", "Urteil vom 18. Januar 2022"): a reference, not news;
    - "report": in a clause in the past tense ("police arrested him on 4 May
      2020"): a report of what happened, which the article cannot precede;
    - "event": any other date in running text;
    - "caption": in a photo caption or credit: when a picture was taken;
    - "aside": a date that says nothing about this article: a link, a copyright
      line, a source's access date, a date standing alone far from the top (a
      comment, a teaser), a byline's date there.

    `place` is "top" for the first lines of the body, "last" for its last line,
    "middle" otherwise; "own" for a stamp by which the article names itself (a
    sentence saying when it was posted, a suggested citation of it), which holds
    wherever it stands.
    """

    mention: DateMention
    line: int
    role: str
    place: str = "middle"

    @property
    def date(self) -> dt.date | None:
        return self.mention.date


def _strip_time(after: str) -> str:
    m = TIME_AFTER.match(after)
    return after[m.end():] if m else after


def _ends_with_separator(text: str) -> bool:
    return not text.strip() or text.rstrip()[-1] in SEPARATORS or text.endswith(("  ", "\t"))


def _is_standalone(before: str, after: str, line_words: int) -> bool:
    """Whether a date stands on its own on its line, as a dateline or a time stamp does.

    Before it may come a few words set off by a separator ("By Evan Symon, ",
    "NDTV | ") or a single word that is not lower-case (a place, "입력"), never a
    preposition; after it, a time and a few words, but not the rest of a sentence.
    """
    if line_words > DATELINE_MAX_WORDS:
        return False
    after_raw, after = after, _strip_time(after).strip()
    sentence = after.endswith(SENTENCE_END)
    after_ok = not after or after[0] in SEPARATORS or (len(after.split()) <= 4 and not sentence)
    if not before.strip():
        return after_ok or not sentence
    if len(before.split()) > 6 or not after_ok:
        return False
    last = re.split(f"[{re.escape(SEPARATORS)}]", before)[-1].split()
    return (_ends_with_separator(before) or (len(last) == 1 and not last[0].islower())
            or (bool(NAME_BEFORE.match(before)) and bool(TIME_AFTER.match(after_raw))))


AGENCY_AFTER = re.compile(r"\s*(?:\(\w[\w .&-]*\)\s*[-–—:]|\.?\s*/\w+/)")
# After a date that opens a paragraph: a bracket, a dash, or the full stop of a dateline
# written as a sentence of its own ("31. Oktober 2023. Dragqueens sind …").
LEAD_AFTER = re.compile(r"\s*(?:[)\]]|[-–—]\s)|\.[ \t]+(?=[^\W\d_a-zà-ÿ])")
# A byline before a date: "By Jane Doe - ", "Von Hans Meier ", "Par Marie Dupont, le ":
# the word for "by" and one to four capitalised names (initials allowed); or a blog
# theme's byline, a participle of writing or posting with its "by" ("Posted by admin on ",
# "Veröffentlicht von Hans Meier am ", "Publié par Marie Dupont le "), whose author may
# be a user name in lower case.
CAPITAL = "A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁІЇЄҐ"
BYLINE_VERBS = {
    "by": ("Posted", "Written", "Published", "Submitted"),
    "von": ("Geschrieben", "Veröffentlicht", "Erstellt", "Verfasst", "Eingestellt", "Gepostet",
            "Publiziert"),
    "par": ("Publié", "Publiée", "Écrit", "Écrite", "Rédigé", "Rédigée", "Posté", "Postée"),
    "por": ("Publicado", "Publicada", "Escrito", "Escrita", "Postado", "Postada"),
    "da": ("Pubblicato", "Pubblicata", "Scritto", "Scritta"),
    "door": ("Geplaatst", "Geschreven", "Gepubliceerd"),
}
BYLINE_NAME = rf"(?:[{CAPITAL}][\w'’.-]*[ \t]+){{0,3}}[{CAPITAL}][\w'’.-]*"
BYLINE_VERB_BY = "|".join(rf"(?:{'|'.join(verbs)})[ \t]+{by}"
                          for by, verbs in BYLINE_VERBS.items())
BYLINE_BEFORE = re.compile(
    rf"(?:^|[\s|·•])(?:(?:By|Von|Par|Por|Di|Door|Av|Af|Від|От)[ \t]+{BYLINE_NAME}"
    rf"|(?:{BYLINE_VERB_BY})[ \t]+(?:{BYLINE_NAME}|[\w.-]+))"
    rf"[ \t]*(?:[-–—|·•,/][ \t]*)?(?:(?:on|am|le|el|il|op|em)[ \t]+)?$")
CREDIT_BEFORE = re.compile(r"(?:photos?|fotos?|bild|image|picture|credit|illustration|"
                           r"graphic|grafik|video)\s*$", re.IGNORECASE)
# A name or a place of two to four capitalised words before a date and a time, on a line
# of its own: "Ariel Melgar Cabrera 3/5/2022 22:41".
NAME_BEFORE = re.compile(rf"^[ \t]*(?:[{CAPITAL}][\w'’.-]*[ \t]+){{2,4}}$")


def _is_lead(before: str, after: str, agency_only: bool = False) -> bool:
    """A date that opens a paragraph: "(18.01.2018) Farmers…", "MOSCOW, March 13 (Reuters) –".

    With `agency_only`, only the wire form counts, which is specific enough for a
    date written without its year.
    """
    if len(before.split()) > LEAD_MAX_WORDS or not _ends_with_separator(before):
        return False
    after = _strip_time(after)
    return bool(AGENCY_AFTER.match(after) or (not agency_only and LEAD_AFTER.match(after)))


def _marker(kind: str, before: str) -> bool:
    """Whether `before` ends with a marker of `kind`.

    "Published"-like markers must open the line or a segment of it, or follow a
    short byline with a capital and no "on"/"am" ("AP News Updated March 13"),
    or be a participle with a capital ("… Veröffentlicht am 17. Dezember 2019"),
    so that "the paper was published on May 3, 2019" and "Der Stand am 13. März"
    stay events; "today" may sit anywhere, right before its date.
    """
    tail = before[-80:]
    m = _context_patterns()[kind].search(tail)
    if not m:
        return False
    head = before[:len(before) - len(tail) + m.start()]
    if kind == "today" or _ends_with_separator(head):
        return True
    found = m.group(0)
    if found[:1].isupper() and _participle(found):
        return True
    word = re.match(r"\w+", found)
    bare = word is not None and not re.search(r"\w", found[word.end():])
    return len(head.split()) <= MARKER_MAX_PREFIX_WORDS and found[:1].isupper() and bare


def _participle(marker: str) -> bool:
    """Whether a marker with its connector ("Veröffentlicht am ") is a participle marker."""
    low = marker.lower()
    return any(low.startswith(p) and not low[len(p):len(p) + 1].isalpha()
               for p in PARTICIPLE_MARKERS)


def _byline(before: str) -> bool:
    """Whether a byline ("By Jane Doe - ") leads up to a date, and not a photo credit
    ("Photo By Jane Doe, ")."""
    tail = before[-80:]
    m = BYLINE_BEFORE.search(tail)
    if m is None:
        return False
    lead = tail[max(0, m.start() - 24):m.end()]
    return not (CAPTION_RE.search(lead) or CREDIT_BEFORE.search(tail[:m.start() + 1]))


def _self_stamp(before: str, after: str) -> str | None:
    """The kind of stamp ("published" or "updated") of a sentence in which the article says
    when it was posted ("This entry was posted on …"), or None for any other clause.
    `before` and `after` are the clause on either side of the date: the nearest verb
    before it wins ("posted on May 3 and updated on May 5"), else the first after it
    ("wurde am … veröffentlicht")."""
    pats = _context_patterns()
    clause = before + " " + after
    best = None
    for kind in ("updated", "published"):
        for det in ("this", "the"):
            found = list(pats[f"self-{kind}-{det}"].finditer(clause))
            if not found or (det == "the" and not SELF_FILING.search(clause)):
                continue
            m = next((m for m in reversed(found) if m.end() <= len(before)), None)
            key = (1, m.end()) if m else (0, -found[0].end())
            if best is None or key > best[0]:
                best = (key, kind)
    return None if best is None else best[1]


def _clause_parts(before: str, after: str) -> tuple[str, str]:
    """The clause around a date, on either side of it: from the last sentence end before
    it, and up to the next after it."""
    ends = list(CLAUSE_END.finditer(before))
    head = before[ends[-1].end():] if ends else before
    m = CLAUSE_END.search(after)
    return head, (after[:m.start()] if m else after)


def _role(m: DateMention, before: str, after: str, place: str, line_words: int) -> str:
    """What a date does on its line; `before`/`after` are the text of that line
    around it (at most `CONTEXT` characters each way).

    `place` is "top" for the first lines of the body, "last" for its last line.
    """
    line = before + m.text + after
    pats = _context_patterns()
    if URL_BEFORE.search(before) or COPYRIGHT_RE.search(line) or ACCESSED_BEFORE.search(before):
        return "aside"
    if TWEET_RE.match(line):
        return "embed"
    for kind in ("updated", "published", "today"):
        if _marker(kind, before):
            return "original" if kind == "published" and pats["original"].search(before) else kind
    clause = " ".join(_clause_parts(before[-100:], after[:100]))
    own = _self_stamp(*_clause_parts(before[-SELF_REACH:], after[:SELF_REACH]))
    if own is not None:
        return "original" if pats["original"].search(clause) else own
    full = m.precision == "day" and m.year_from != "reference"
    if full and _byline(before):
        return "dateline" if place == "top" else "aside"
    if CAPTION_RE.search(clause):
        return "caption"
    if full and _is_standalone(before, after, line_words):
        if place == "top":
            return "dateline"
        bare = not before.strip() and not _strip_time(after).strip()
        return "closing" if place == "last" and bare else "aside"
    if m.precision == "day" and place == "top" and _is_lead(before, after, not full):
        return "dateline"
    if pats["planned"].search(clause):
        return "planned"
    if pats["original"].search(clause):
        return "original"
    if pats["unsure_before"].search(before[-24:]) or pats["unsure_clause"].search(clause) \
            or DAY_RANGE_BEFORE.search(before[-16:]):
        return "unsure"
    if pats["cited"].search(before[-60:]):
        return "cited"
    return "report" if pats["past"].search(clause) else "event"


def _spans_joined(located: list[Located], text: str) -> list[Located]:
    """Both ends of a span on one line ("14 de marzo a 13 de mayo") become "unsure"."""
    out = list(located)
    for i in range(1, len(out)):
        a, b = out[i - 1], out[i]
        gap = text[a.mention.end:b.mention.start]
        if a.line == b.line and len(gap) <= RANGE_MAX_GAP and RANGE_GAP.fullmatch(gap):
            out[i - 1], out[i] = (replace(d, role="unsure") if d.role in SPAN_ROLES else d
                                  for d in (a, b))
    return out


# ----------------------------------------------------------------- inference

CONFIDENCE = {"published": 0.95, "updated": 0.9, "today": 0.85, "dateline": 0.85,
              "closing": 0.7, "embed": 0.7, "report": 0.75, "event": 0.7, "planned": 0.6}
DATING_ROLES = ("published", "today", "dateline")
STAMP_ROLES = ("published", "updated", "closing")
REPORTED_ROLES = ("report", "event", "embed", "original")
REPORTED_NEWS = ("report", "event", "embed")
SPAN_ROLES = ("report", "event", "cited")
SAYS_NOTHING = ("aside", "caption")
BASES = ("stamp", "dateline", "events", "none")


def basis_of(role: str) -> str:
    """Which kind of evidence a date of this role is: one of the article's stamps
    (a "Published", "Updated" or sign-off line), its dateline (or "today (date)"),
    or the dates of what it reports."""
    if role in STAMP_ROLES:
        return "stamp"
    return "dateline" if role in ("dateline", "today") else "events"


@dataclass(frozen=True)
class Evidence:
    """One piece of the case for a publication date: which text, where, how sure.

    `year_given` is False for a date written without its year ("March 13"):
    `date` then holds the such day nearest the header.
    """

    kind: str
    date: dt.date
    text: str
    line: int
    start: int
    end: int
    confidence: float
    year_given: bool = True

    @property
    def when(self) -> str:
        """The date as the text fixes it: '2025-03-13', or 'March 13 (no year)'."""
        return self.date.isoformat() if self.year_given else \
            f"{self.date:%B} {self.date.day} (no year)"


@dataclass(frozen=True)
class Inference:
    """What the body says about the publication date, and how the header fares.

    `date` is the inferred publication date; with only reported events to go on,
    it is the earliest date the article can have. `basis` says which kind of
    evidence the verdict rests on: "stamp", "dateline", "events" or "none".
    `status`:
    - consistent: the body gives date evidence and none of it contradicts the header;
    - contradiction: evidence that dates the article itself (a stamp, its dateline,
      or several reports of what happened) cannot be squared with the header;
    - suspect: weaker evidence speaks against the header (news long past, a single
      late event, announcements long overdue, an update stamp long before it):
      worth a look, not a contradiction;
    - unverifiable: the body gives no usable date evidence;
    - missing: there is no valid header date to check.
    """

    status: str
    date: dt.date | None
    evidence: tuple[Evidence, ...] = ()
    confidence: float = 0.0
    reason: str = ""
    basis: str = "none"


@dataclass(frozen=True)
class Bounds:
    """How far the body's dates may stray from the header before they speak against it.

    For a contradiction:
    `tolerance_days`: a stamp or dateline this close to the header agrees.
    `margin_days`: reports of what happened this much after the header contradict
    it when they fall on at least `min_events` different days (and so does a
    sign-off date this much before it).
    For a suspect header:
    a single report, or dates of unknown tense, `single_event_days` after it; an
    announced date `margin_days` before it (the article was written before its
    announced event) or `plan_horizon_days` after it (announcements rarely look
    further ahead); an update stamp `margin_days` before it; and the latest news
    the article reports lying `stale_days` before it (news is reported while it
    is new).
    """

    tolerance_days: int = 3
    margin_days: int = 45
    min_events: int = 2
    single_event_days: int = 180
    plan_horizon_days: int = 730
    stale_days: int = 180


def _full(d: Located) -> bool:
    """A day-precision date whose year the text settles."""
    return d.mention.precision == "day" and d.mention.year_from != "reference" \
        and bool(d.mention.readings)


def _latest(d: Located) -> dt.date:
    return max(d.mention.readings)


def _earliest(d: Located) -> dt.date:
    return min(d.mention.readings)


@dataclass(frozen=True)
class DateAnalysis:
    """Every body date of one article with its role; built once, shared by the rules.

    `dates` holds only mentions that name a real day (or month); those that name
    none ("31. November 2020", a calendar's "30 31" under "Februar") are kept
    apart in `impossible`, so no inference ever reads a date that has no value.
    """

    header: dt.date | None
    dates: tuple[Located, ...] = ()
    impossible: tuple[Located, ...] = ()

    def of_role(self, *roles: str) -> list[Located]:
        return [d for d in self.dates if d.role in roles]

    def infer(self, bounds: Bounds = Bounds()) -> Inference:
        return infer(self, bounds)

    def own_stamps(self) -> list[Located]:
        """The dates by which the article dates itself: its "Published" lines at the
        top or the bottom, or where it names itself ("This entry was posted on …",
        a suggested citation of it), or else its datelines and "today (date)" at
        the top.

        A "Published" line in the middle of the text may belong to a quoted item or
        a comment, and "today" there to a later passage: they are not the article's.
        """
        stamps = [d for d in self.of_role("published") if d.place != "middle"]
        return stamps or [d for d in self.of_role("dateline", "today") if d.place == "top"]

    def agreeing(self, bounds: Bounds = Bounds()) -> list[Located]:
        """Stamps and datelines within the tolerance of the header, wherever they stand."""
        tol = dt.timedelta(days=bounds.tolerance_days)
        return [d for d in self.of_role(*DATING_ROLES, "updated", "closing")
                if any(abs(r - self.header) <= tol for r in d.mention.readings)]

    def late(self, bounds: Bounds = Bounds()) -> list[Located]:
        """Reported events (and far-off announcements) too long after the header, latest first.

        A month ("in March 2025") counts from its first day.
        """
        if self.header is None:
            return []
        out = []
        for d in self.of_role(*REPORTED_ROLES, "planned"):
            limit = bounds.plan_horizon_days if d.role == "planned" else bounds.margin_days
            dated = _full(d) or (d.mention.precision == "month" and d.role != "planned")
            if dated and (_earliest(d) - self.header).days > limit:
                out.append(d)
        return sorted(out, key=_earliest, reverse=True)

    def late_reports(self, bounds: Bounds = Bounds()) -> list[Located]:
        """Reports of what happened, to the day and read one way, more than
        `margin_days` after the header; latest first."""
        if self.header is None:
            return []
        late = [d for d in self.of_role("report") if _full(d) and d.mention.date is not None
                and (d.mention.date - self.header).days > bounds.margin_days]
        return sorted(late, key=_earliest, reverse=True)

    def anachronisms(self, bounds: Bounds = Bounds()) -> list[Located]:
        """The reports that contradict the header: at least `min_events` different
        days that it precedes by more than `margin_days`; latest first.

        None when a stamp or dateline agrees with the header: then the late dates
        are announcements the tense cues missed, or a later update's news.
        """
        if self.header is None or self.agreeing(bounds):
            return []
        late = self.late_reports(bounds)
        return late if len({d.mention.date for d in late}) >= bounds.min_events else []

    def stale(self, bounds: Bounds = Bounds()) -> Located | None:
        """The article's latest date, when it is news long past by the header date.

        The news is a reported event or a quoted post (not a birth, a founding, the
        start of a span, a cited law, a first edition or a source's access date:
        their roles differ); it must be the latest year-given date of the article
        (asides and captions apart) and lie more than `stale_days` before the header.
        """
        if self.header is None:
            return None
        told = [d for d in self.dates if d.role not in SAYS_NOTHING
                and d.mention.year_from != "reference"]
        if not told:
            return None
        latest = max(_latest(d) for d in told)
        if (self.header - latest).days <= bounds.stale_days:
            return None
        for d in told:
            if d.role in REPORTED_NEWS and _full(d) and _latest(d) == latest:
                return d
        return None

    def weekday_dates(self) -> list[Located]:
        """Dates written with a weekday but no year ("Tuesday, April 14")."""
        return [d for d in self.dates if d.mention.weekday is not None
                and d.mention.year_from != "text" and d.role not in SAYS_NOTHING]

    def weekday_conflicts(self) -> list[Located]:
        """Weekday dates that do not fall on their weekday in the year nearest the header.

        "Tuesday, April 14" under a 2019 header: April 14, 2019 was a Sunday, so
        the article speaks of another year (2020, when it was a Tuesday).
        """
        if self.header is None:
            return []
        return [d for d in self.weekday_dates()
                if (day := nearest_day(d.mention, self.header)) is not None
                and day.weekday() != d.mention.weekday]

    def overdue(self, bounds: Bounds = Bounds()) -> list[Located]:
        """Announced dates that had long passed by the header date, latest first.

        Only when the latest announced date is also the latest date of the
        article: an article looks forward from its own date, so nothing it
        dates should lie beyond what it announces.
        """
        if self.header is None:
            return []
        planned = sorted((d for d in self.of_role("planned") if _full(d)),
                         key=_latest, reverse=True)
        if not planned:
            return []
        latest = max(_latest(d) for d in self.dates if _full(d))
        announced = _latest(planned[0])
        if announced >= latest and (self.header - announced).days > bounds.margin_days:
            return planned
        return []


def analyse(text: str, header: dt.date | None = None, body_start: int = 0,
            order: str | None = None) -> DateAnalysis:
    """Find and place every date of the body, `text[body_start:]`.

    Dates written without a year take it from `header` (the nearest such day).
    Line numbers are 1-based lines of `text`.
    """
    found = find_dates(text[body_start:], order=order, reference=header)
    if not found:
        return DateAnalysis(header)
    newlines = [m.start() for m in NEWLINE_RE.finditer(text)]
    content = [i for i, (a, b) in enumerate(_spans(text, newlines))
               if b > max(a, body_start) and not text[max(a, body_start):b].isspace()]
    top_count = max(3, min(TOP_LINES, -(-len(content) * 2 // 5)))
    top_last = content[top_count - 1] if len(content) >= top_count else len(newlines)
    located = []
    for m in found:
        m = replace(m, start=m.start + body_start, end=m.end + body_start)
        index = bisect_left(newlines, m.start)
        line_start = max(newlines[index - 1] + 1 if index else 0, body_start)
        line_end = newlines[index] if index < len(newlines) else len(text)
        place = "top" if index <= top_last else "last" if content and index == content[-1] \
            else "middle"
        words = len(text[line_start:line_end].split()) \
            if line_end - line_start <= LONG_LINE else LONG_LINE
        before = text[max(line_start, m.start - CONTEXT):m.start]
        after = text[m.end:min(line_end, m.end + CONTEXT)]
        role = _role(m, before, after, place, words)
        if role in ("published", "updated") and _self_stamp(
                *_clause_parts(before[-SELF_REACH:], after[:SELF_REACH])):
            place = "own"
        elif role not in SAYS_NOTHING and _in_citation(text, line_start, line_end, before,
                                                       newlines, index, body_start):
            role, place = "published", "own"
        located.append(Located(m, index + 1, role, place))
    located = _spans_joined(located, text)
    return DateAnalysis(header, tuple(d for d in located if d.mention.readings),
                        tuple(d for d in located if not d.mention.readings))


def _in_citation(text: str, line_start: int, line_end: int, before: str,
                 newlines: list[int], index: int, body_start: int) -> bool:
    """Whether a date stands in a suggested citation of the article ("Zitiervorschlag: …",
    "Cite this article" above the reference): on a line that opens with the heading, or
    on the line after a short heading line. A citation of the article names its date."""
    if CITE_SELF_RE.search(before):
        return True
    if index == 0 or newlines[index - 1] < body_start:
        return False
    prev_end = newlines[index - 1]
    prev_start = newlines[index - 2] + 1 if index >= 2 else 0
    prev = text[max(prev_start, body_start):prev_end]
    return len(prev.split()) <= CITE_HEADING_MAX_WORDS and bool(CITE_SELF_RE.search(prev))


def _spans(text: str, newlines: list[int]):
    start = 0
    for nl in newlines + [len(text)]:
        yield start, nl
        start = nl + 1


def _evidence(d: Located) -> Evidence:
    m = d.mention
    year_given = m.year_from != "reference"
    confidence = CONFIDENCE.get(d.role, 0.5) * (1.0 if year_given else 0.8)
    return Evidence(d.role, min(m.readings), m.text, d.line, m.start, m.end, confidence,
                    year_given)


def _evidence_of(dates: list[Located]) -> tuple[Evidence, ...]:
    return tuple(_evidence(d) for d in dates)


def infer(analysis: DateAnalysis, bounds: Bounds = Bounds()) -> Inference:
    """The publication date the body implies, and whether the header agrees.

    A stamp or dateline that agrees with the header settles it. Otherwise the
    header is contradicted only by what dates the article itself: its own
    "Published" line or dateline (`DateAnalysis.own_stamps`, when they name one
    day), a sign-off date long before it, or reports of what happened on
    several days after it. Weaker evidence makes it only suspect: a stamp in
    the middle of the text, an update stamp long before the header (a header
    may be the last change), announcements long overdue or too far ahead, a
    single late event, news long past, weekdays that fit another year. See
    `Bounds` for how far is too far. A date written without a year counts only
    where every year would contradict the header.
    """
    if analysis.header is None:
        return _without_header(analysis)
    agreeing = analysis.agreeing(bounds)
    if agreeing:
        ev = _evidence_of(agreeing)
        return Inference("consistent", ev[0].date if ev[0].year_given else None, ev,
                         ev[0].confidence, f"the {ev[0].kind} on line {ev[0].line} agrees with it",
                         basis_of(ev[0].kind))
    for verdict in (_against_stamps, _after_closing, _before_reports, _stamp_elsewhere,
                    _after_update, _after_announced, _before_events, _after_news,
                    _off_weekdays):
        found = verdict(analysis, bounds)
        if found is not None:
            return found
    known = analysis.of_role("updated") + [d for d in analysis.of_role(*REPORTED_ROLES, "planned")
                                           if _full(d)]
    if known:
        ev = _evidence_of(known[:3])
        return Inference("consistent", None, ev, 0.5, "no body date speaks against it",
                         basis_of(ev[0].kind))
    return Inference("unverifiable", None, (), 0.0, "the body gives no usable date")


def _one_day(dates: list[Located], bounds: Bounds) -> bool:
    """Whether the dates name one day, give or take the tolerance on either side."""
    span = dt.timedelta(days=2 * bounds.tolerance_days)
    first = dates[0].mention.readings
    return all(any(abs(a - b) <= span for a in first for b in d.mention.readings)
               for d in dates[1:])


def _against_stamps(analysis: DateAnalysis, bounds: Bounds) -> Inference | None:
    """The article's own stamps date it, and none is near the header.

    When they name different days (a list of teasers, a quoted item's date
    beside the article's) none of them is sure to be the article's: suspect.
    """
    own = analysis.own_stamps()
    if not own:
        return None
    ev = _evidence_of(own)
    first = ev[0]
    if not _one_day(own, bounds):
        other = next(e for e, d in zip(ev, own) if not _one_day([own[0], d], bounds))
        return Inference("suspect", None, ev, 0.5,
                         f"the article's stamps disagree: {first.when} ({first.kind}, line "
                         f"{first.line}) and {other.when} ({other.kind}, line {other.line}), "
                         "and none is near it", basis_of(first.kind))
    return Inference("contradiction", first.date if first.year_given else None, ev,
                     first.confidence,
                     f"the article is dated {first.when} ({first.kind}, line {first.line})",
                     basis_of(first.kind))


def _after_closing(analysis: DateAnalysis, bounds: Bounds) -> Inference | None:
    closing = analysis.of_role("closing")
    if not closing or (analysis.header - _latest(closing[-1])).days <= bounds.margin_days:
        return None
    ev = _evidence(closing[-1])
    return Inference("contradiction", None, (ev,), 0.7,
                     f"the article closes with the date {ev.date} (line {ev.line}), "
                     f"{(analysis.header - ev.date).days} days before it", "stamp")


def _before_reports(analysis: DateAnalysis, bounds: Bounds) -> Inference | None:
    late = analysis.anachronisms(bounds)
    if not late:
        return None
    days = {d.mention.date for d in late}
    ev = _evidence_of(late)
    return Inference("contradiction", ev[0].date, ev, min(0.9, 0.5 + 0.1 * len(days)),
                     f"the body reports what happened on {_count(len(days), 'day')} after "
                     f"it, the latest on {ev[0].date} (line {ev[0].line})", "events")


def _stamp_elsewhere(analysis: DateAnalysis, bounds: Bounds) -> Inference | None:
    """A "Published" line in the middle of the text, or "today (date)" below the top:
    it may belong to a quoted item, a comment or a later passage."""
    own = analysis.own_stamps()
    others = [d for d in analysis.of_role(*DATING_ROLES) if d not in own]
    if not others:
        return None
    ev = _evidence_of(others)
    return Inference("suspect", None, ev, 0.5,
                     f"a {ev[0].kind} line in the middle of the text says {ev[0].when} "
                     f"(line {ev[0].line}); it may belong to a quoted item",
                     basis_of(ev[0].kind))


def _after_update(analysis: DateAnalysis, bounds: Bounds) -> Inference | None:
    """The last update stamp lies long before the header. A header may be the
    date of a later change the page does not show: suspect, not a contradiction."""
    updated = analysis.of_role("updated")
    if not updated:
        return None
    last = max(updated, key=_latest)
    if (analysis.header - _latest(last)).days <= bounds.margin_days:
        return None
    ev = _evidence(last)
    return Inference("suspect", None, (ev,), 0.5,
                     f"the article was last updated on {ev.date} (line {ev.line}), "
                     f"{(analysis.header - ev.date).days} days before it", "stamp")


def _after_announced(analysis: DateAnalysis, bounds: Bounds) -> Inference | None:
    overdue = analysis.overdue(bounds)
    if not overdue:
        return None
    ev = _evidence_of(overdue)
    return Inference("suspect", None, ev, 0.5,
                     f"the body announces {ev[0].date} as still to come (line {ev[0].line}), "
                     f"{(analysis.header - ev[0].date).days} days before it", "events")


def _before_events(analysis: DateAnalysis, bounds: Bounds) -> Inference | None:
    """Dated events after the header on enough days, or one far enough ahead, that
    are not all reports in the past tense (or not enough of them)."""
    late = analysis.late(bounds)
    days = {_earliest(d) for d in late}
    if not (len(days) >= bounds.min_events or any(
            _full(d) and (_earliest(d) - analysis.header).days > bounds.single_event_days
            for d in late)):
        return None
    ev = _evidence_of(late)
    return Inference("suspect", ev[0].date, ev, 0.5,
                     f"the body dates {_count(len(days), 'event')} after it, the latest on "
                     f"{ev[0].date} ({ev[0].kind}, line {ev[0].line})", "events")


def _after_news(analysis: DateAnalysis, bounds: Bounds) -> Inference | None:
    """The latest news the article reports (or a post it quotes) is long past by the header.

    Only when that date is the latest the article gives: a report written later
    would name a later date (an update, a reaction, "since March 2002" counts as
    neither). Months and years count towards the latest date but do not date
    the news themselves.
    """
    stale = analysis.stale(bounds)
    if stale is None:
        return None
    ev = _evidence(stale)
    return Inference("suspect", None, (ev,), 0.5,
                     f"the latest date the article reports is {ev.date} ({ev.kind}, line "
                     f"{ev.line}), {(analysis.header - ev.date).days} days before it", "events")


def _off_weekdays(analysis: DateAnalysis, bounds: Bounds) -> Inference | None:
    conflicts = analysis.weekday_conflicts()
    if not conflicts or len(conflicts) < len(analysis.weekday_dates()):
        return None
    ev = _evidence_of(conflicts)
    pinned = [d for d in conflicts if d.mention.year_from == "weekday"]
    date = _earliest(pinned[0]) if pinned else None
    fits = f", which fits {date.year}" if date else ""
    return Inference("suspect", date, ev, 0.5,
                     f"'{ev[0].text}' (line {ev[0].line}) does not fall on its weekday in "
                     f"its year{fits}", "events")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def _without_header(analysis: DateAnalysis) -> Inference:
    """Without a header date: what the body suggests, for a rule to mention."""
    own = analysis.own_stamps()
    if own and _one_day(own, Bounds()):
        ev = _evidence_of(own)
        return Inference("missing", ev[0].date if ev[0].year_given else None, ev,
                         ev[0].confidence,
                         f"the body dates it {ev[0].when} ({ev[0].kind}, line {ev[0].line})",
                         basis_of(ev[0].kind))
    reported = [d for d in analysis.of_role(*REPORTED_ROLES) if _full(d)]
    if reported:
        ev = _evidence(max(reported, key=_earliest))
        return Inference("missing", ev.date, (ev,), 0.4,
                         f"the body reports events up to {ev.date} (line {ev.line})", "events")
    updated = analysis.of_role("updated")
    if updated:
        ev = _evidence(updated[0])
        return Inference("missing", ev.date, (ev,), 0.5,
                         f"the body was updated {ev.date} (line {ev.line})", "stamp")
    return Inference("missing", None, (), 0.0, "no header and no usable body date")
