"""Date finding and publication-date inference (auditor.datefind), across languages and shapes."""
from __future__ import annotations

import datetime as dt

import pytest
from babel.dates import get_month_names
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.datefind import (Bounds, analyse, find_dates, names, nearest_year, pattern,
                              weekday_before)

D = dt.date
REF = D(2025, 3, 1)


def only(text: str, **kw):
    found = find_dates(text, **kw)
    assert len(found) == 1, [(m.text, m.readings) for m in found]
    return found[0]


# ---------------------------------------------------------------- shapes and languages

@pytest.mark.parametrize("text,expected", [
    ("March 13, 2025", D(2025, 3, 13)),
    ("Mar. 13, 2025", D(2025, 3, 13)),
    ("March 13th 2025", D(2025, 3, 13)),
    ("13 March 2025", D(2025, 3, 13)),
    ("13th of March, 2025", D(2025, 3, 13)),
    ("13-Mar-2025", D(2025, 3, 13)),
    ("Sept. 26, 2023", D(2023, 9, 26)),
    ("2025-03-13", D(2025, 3, 13)),
    ("2025-03-13T10:15:00Z", D(2025, 3, 13)),
    ("2025/03/13", D(2025, 3, 13)),
    ("13.03.2025", D(2025, 3, 13)),
    ("13. 3. 2025", D(2025, 3, 13)),
    ("13. März 2025", D(2025, 3, 13)),
    ("13. Jänner 2025", D(2025, 1, 13)),
    ("1er mars 2025", D(2025, 3, 1)),
    ("13 mars 2025", D(2025, 3, 13)),
    ("13 de marzo de 2025", D(2025, 3, 13)),
    ("13 de marzo del 2025", D(2025, 3, 13)),
    ("13 marzo 2025", D(2025, 3, 13)),
    ("13 de março de 2025", D(2025, 3, 13)),
    ("13 maart 2025", D(2025, 3, 13)),
    ("13 марта 2025 года", D(2025, 3, 13)),
    ("13 березня 2025 р.", D(2025, 3, 13)),
    ("13 marca 2025 r.", D(2025, 3, 13)),
    ("13 Mart 2025", D(2025, 3, 13)),
    ("13 de març de 2025", D(2025, 3, 13)),
    ("13 martie 2025", D(2025, 3, 13)),
    ("13. března 2025", D(2025, 3, 13)),
    ("13. maaliskuuta 2025", D(2025, 3, 13)),
    ("13 Μαρτίου 2025", D(2025, 3, 13)),
    ("2025. március 13.", D(2025, 3, 13)),
    ("2025年3月13日", D(2025, 3, 13)),
    ("2025년 3월 13일", D(2025, 3, 13)),
    ("13.03.25", D(2025, 3, 13)),
    ("20.11.98", D(1998, 11, 20)),
    ("MARCH 13, 2025", D(2025, 3, 13)),
])
def test_full_dates_in_many_shapes_and_languages(text, expected):
    mention = only(f"Said on {text} in the capital.")
    assert mention.readings == (expected,)
    assert mention.precision == "day"
    assert mention.year_from == "text"
    assert mention.text.startswith(text.split()[0][:2])


@pytest.mark.parametrize("text,expected", [
    ("im Oktober 2021", D(2021, 10, 1)),
    ("in marzo de 2020", D(2020, 3, 1)),
    ("in April 2005", D(2005, 4, 1)),
    ("en juin 2018", D(2018, 6, 1)),
    ("2023年10月", D(2023, 10, 1)),
])
def test_month_and_year(text, expected):
    mention = only(text)
    assert mention.precision == "month"
    assert mention.readings == (expected,)


def test_month_names_come_from_cldr_in_every_width_and_context():
    table = names().months
    for loc in ("en", "de", "fr", "es", "it", "pt", "nl", "ru", "uk", "pl", "tr"):
        for context in ("format", "stand-alone"):
            for number, name in get_month_names("wide", context, loc).items():
                assert table.get(name.lower()) == number, (loc, context, name)


def test_slavic_genitive_and_nominative_forms_both_known():
    table = names().months
    assert table["марта"] == table["март"] == 3
    assert table["березня"] == table["березень"] == 3
    assert table["marca"] == table["marzec"] == 3


def test_names_two_languages_give_to_different_months_are_dropped():
    # Czech "listopad" is November; Croatian, not among our locales, would make it October
    assert names().months["listopad"] == 11
    assert "mar" not in names().weekdays  # Spanish Tuesday, Spanish March


def test_pattern_is_built_once():
    assert pattern() is pattern()


# ------------------------------------------------------------------------- not dates

@pytest.mark.parametrize("text", [
    "Python 3 may want to skip this section",
    "you may 2 times a day",
    "Version 3.11.4 was released",
    "Tel. 030-27586-467, Mobil 0151-56313302",
    "the score was 13-03 at half time",
    "macbacchi28.09.1912:44",
    "see https://example.com/2020/04/10/story",
    "31/02/2025",
    "Python 3.10.12 fixes it",
    "from Friday to 28th of the month",
])
def test_things_that_are_not_dates(text):
    assert [m.readings for m in find_dates(text, reference=REF)] == []


def test_a_named_date_that_names_no_day_is_kept_as_invalid():
    mention = only("Die Abstimmung fand am 30. Februar 2021 statt.")
    assert mention.invalid and mention.readings == ()


# --------------------------------------------------------------------- day/month order

def test_numeric_order_settled_by_an_unambiguous_date_in_the_document():
    first, second = find_dates("Filed 03/04/2025, amended 13/04/2025.")
    assert first.readings == (D(2025, 4, 3),)
    assert second.readings == (D(2025, 4, 13),)
    first, second = find_dates("Filed 03/04/2025, amended 04/13/2025.")
    assert first.readings == (D(2025, 3, 4),)


def test_numeric_order_settled_by_how_the_document_writes_named_dates():
    american = find_dates("On March 13, 2025 the court met; the filing of 03/04/2025 stood.")
    assert american[1].readings == (D(2025, 3, 4),)
    british = find_dates("On 13 March 2025 the court met; the filing of 03/04/2025 stood.")
    assert british[1].readings == (D(2025, 4, 3),)


def test_unsettled_numeric_date_keeps_both_readings_and_a_given_order_wins():
    assert only("Filed 03/04/2025.").readings == (D(2025, 4, 3), D(2025, 3, 4))
    assert only("Filed 03/04/2025.", order="mdy").readings == (D(2025, 3, 4),)
    assert only("Filed 03.04.2025.").readings == (D(2025, 4, 3),)  # dots are day first


# ------------------------------------------------------------- year-less dates, weekdays

def test_year_less_dates_need_a_reference_and_take_the_nearest_year():
    assert find_dates("on March 13 the envoy arrived") == []
    mention = only("on March 13 the envoy arrived", reference=D(2024, 12, 3))
    assert mention.readings == (D(2025, 3, 13),)
    assert mention.year_from == "reference"
    assert nearest_year(12, 30, D(2025, 1, 2)) == 2024


def test_a_weekday_pins_the_year_of_a_year_less_date():
    mention = only("detenido la tarde de este martes, 14 de abril, por la policía",
                   reference=D(2019, 9, 20))
    assert mention.weekday == 1
    assert mention.readings == (D(2020, 4, 14),)  # the Tuesday nearest 2019
    assert mention.year_from == "weekday"
    assert mention.text == "martes, 14 de abril"


def test_weekday_written_before_a_date():
    text = "Donnerstag, den 10. Februar 2022"
    assert weekday_before(text, text.index("10.")) == (3, 0)
    mention = only("am Donnerstag, den 10. Februar 2022 fuhren sie")
    assert mention.weekday == 3 and not mention.weekday_mismatch
    assert only("Thursday, March 14, 2025").weekday_mismatch  # a Friday


def test_lower_case_month_first_without_year_is_not_a_date():
    assert find_dates("the may 5 deadline", reference=REF) == []
    assert only("the May 5 deadline", reference=REF).readings == (D(2025, 5, 5),)


# ----------------------------------------------------------------------------- roles

def roles(text: str, header: dt.date | None = REF) -> list[str]:
    return [d.role for d in analyse(text, header).dates]


@pytest.mark.parametrize("line,role", [
    ("Posted: March 3, 2025 by admin", "published"),
    ("Veröffentlicht am 13.03.2025 um 10:00 Uhr", "published"),
    ("Publié le 13 mars 2025 à 10h00", "published"),
    ("Publicado el 13 de marzo de 2025", "published"),
    ("Опубликовано 13 марта 2025", "published"),
    ("Opublikowano: 13 marca 2025", "published"),
    ("Yayınlanma: 13 Mart 2025", "published"),
    ("Datum: 22.12.2012, Rubrik: USA", "published"),
    ("Updated: Jan 23, 2020, 10.45 AM IST", "updated"),
    ("zuletzt bearbeitet: 04.02.2022, 08:27 Uhr", "updated"),
    ("Mis à jour le 13 mars 2025", "updated"),
    ("Сегодня, 13 марта 2025 года, в Москве прошли выборы и многое другое.", "today"),
    ("Συνελήφθη, σήμερα (19.08.2020) τα ξημερώματα, αλλοδαπός από την αστυνομία.", "today"),
    ("March 13, 2025", "dateline"),
    ("THE TIMES OF INDIA | Oct 02, 2020, 19:02:47 IST", "dateline"),
    ("12.11.2021 red Artikel: Download PDF Drucken Teilen Feedback", "dateline"),
    ("(18.01.2018) Deutschlands Landwirte zittern vor der Schweinepest.", "dateline"),
    ("MOSCOW, March 13 (Reuters) - Russian forces retook the town.", "dateline"),
    ("— ZDF heute (@ZDFheute) 26. Mai 2019", "embed"),
    ("The summit will open on 13 May 2025 in Rome, officials said.", "planned"),
    ("Am 8. November 2021 findet der Gedenktag statt, wie jedes Jahr.", "planned"),
    ("The rules apply until 13 May 2025 across the whole country.", "unsure"),
    ("Die Preise steigen ab 1. Januar 2024 um durchschnittlich zwölf Prozent.", "unsure"),
    ("The summit opened on 13 May 2025 in Rome, officials said.", "report"),
    ("Mercurial 5.2 was published on November 5, 2019 for the first time ever.", "report"),
    ("The summit opens on 13 May 2025 in Rome, a spokesman says.", "event"),
    ("Das Reparaturcafé öffnet am 27. März 2025 von 15 bis 18 Uhr im Rathaus.", "event"),
    ("La UE organizará el 4 de mayo de 2020 una conferencia de donantes en Bruselas.",
     "planned"),
    ("El alcalde fue detenido el 14 de abril de 2020 por la policía de la ciudad.", "report"),
    ("Le maire a démissionné le 3 mars 2020 après le scandale, selon la préfecture.",
     "report"),
    ("Полиция задержала его 13 марта 2025 года в центре города.", "report"),
    ("Das Gericht stützte sich auf das Urteil vom 18. Januar 2022 und wies die Klage ab.",
     "cited"),
    ("The court relied on the ruling of 4 May 2022 and dismissed the appeal.", "cited"),
    ("FILE PHOTO: The president speaks in Paris, France, January 16, 2020. REUTERS/C. Platiau",
     "caption"),
    ("Cristina Kirchner y Alberto Fernández, el 1 de marzo de 2022 (Foto: N. Pisarenko/Pool)",
     "caption"),
    ("Der Workshop fand vom 6. - 7. März 2020 in der Jugendherberge Heilbronn statt.",
     "unsure"),
    ("Originally published March 3, 2019", "original"),
    ("Dieser Artikel ist ursprünglich am 27. Februar 2017 erschienen.", "original"),
    ("The price fell to its lowest level since 6 March 2002, traders said.", "unsure"),
    ("El crudo cerró en su nivel más bajo desde el 6 de marzo de 2002.", "unsure"),
    ("AP News Updated March 13, 2025", "updated"),
    ("Der Stand am 13. März 2025 lag bei fünf Prozent, teilte das Amt mit.", "report"),
    ("Das Konzert hier am 13. März 2025 war ausverkauft, sagte der Veranstalter.", "report"),
    ("© 2019 Example Ltd, 13 March 2019", "aside"),
    ("Accessed at www.example.org/report.pdf on 14 December 2016.", "aside"),
    ("(1) Afrobarometer (2021). Im Internet unter: https://example.org/x.pdf [13.10.2021].",
     "aside"),
    ("In seinem am 16. Februar 2017 veröffentlichten Manifest legt er seine Pläne dar.",
     "report"),
    ("Die Bürgermeisterin, geboren am 6. März 1962, studierte in Köln.", "unsure"),
    # a byline's date, and a name with a date and a time
    ("By Maria Lopez - June 2, 2022", "dateline"),
    ("Von Anna Berger 12. März 2021 in Allgemein, Garten", "dateline"),
    ("Por Carlos Ruiz Soto 4 de mayo de 2022 a las 09:01 hrs.", "dateline"),
    ("Laura Benítez Ruiz 3/5/2022 22:41", "dateline"),
    ("Posted by admin on March 13, 2025", "dateline"),
    ("Written by Jane Doe on 13 March 2025", "dateline"),
    ("Geschrieben von Hans Meier am 13.03.2025", "dateline"),
    ("Publicado por Juan Pérez el 13 de marzo de 2025", "dateline"),
    ("Pubblicato da Mario Rossi il 13 marzo 2025", "dateline"),
    ("Geplaatst door Jan Jansen op 13 maart 2025", "dateline"),
    ("Photo By Jane Doe, March 12, 2020, shows the harbour where the fishermen land their "
     "catch every morning.", "event"),
    ("By March 13, 2025 every school must have a plan, the minister said.", "unsure"),
    # a dateline written as a sentence of its own
    ("14. März 2021. Die Stadtbibliothek öffnet nach dem Umbau wieder ihre Türen.", "dateline"),
    ("Potsdam, 14. März 2021. Die Stadtbibliothek öffnet nach dem Umbau wieder.", "dateline"),
    # the article says when it was posted
    ("This entry was posted on Tuesday, March 9th, 2021 at 6:34 am and is filed under News.",
     "published"),
    ("Dieser Beitrag wurde am 9. März 2021 von Jan Weber veröffentlicht.", "published"),
    ("Der Beitrag wurde am 9. März 2021 um 15:21 Uhr veröffentlicht und unter Allgemein "
     "abgelegt.", "published"),
    ("Cet article a été publié le 9 mars 2021 à 18h00.", "published"),
    ("Questo articolo è stato pubblicato il 9 marzo 2021 nella categoria Sport.", "published"),
    ("This post was last updated on 9 March 2021.", "updated"),
    ("The article was published on 9 March 2021 in Nature, the authors said.", "report"),
    ("This article was originally published on 9 March 2021 by The Conversation.",
     "original"),
    # markers of more shapes
    ("Latest update May 6th, 2022 12:49 AM", "updated"),
    ("Stand des Artikels: 26. Februar 2020, 12:30 Uhr.", "updated"),
    ("Letzte Aktualisierung: 28.01.2022", "updated"),
    ("Dernière mise à jour le 28 janvier 2022", "updated"),
    ("Podcast 12 Live vom Barcamp 2019 Veröffentlicht am 17. Dezember 2019 von Jan Weber",
     "published"),
    ("Erscheinungsdatum: 14.08.2017", "published"),
])
def test_role_of_a_date_on_its_line(line, role):
    assert roles(line) == [role]


def test_a_bylines_date_far_from_the_top_is_an_aside():
    text = "\n".join(["The council approved the harbour plan on Tuesday."] * 6
                      + ["By Maria Lopez - June 2, 2022", "Tags: harbour"] + ["More."] * 6)
    assert roles(text) == ["aside"]


def test_a_participle_with_its_by_in_running_text_is_no_byline():
    assert roles("The plans were published by the council on 13 March 2025, the mayor said.") \
        != ["dateline"]
    assert roles("posted by Jane Doe on March 13, 2025") != ["dateline"]


def test_a_name_with_a_date_but_no_time_is_no_dateline():
    assert roles("Laura Benítez Ruiz 3/5/2022 in Lima") != ["dateline"]


def test_where_the_article_names_itself_its_stamp_holds_wherever_it_stands():
    body = ["Die Gemeinde hat den neuen Spielplatz eingeweiht."] * 8
    comments = ["Schöner Bericht, danke!", "Wir waren auch dort."] * 3
    for stamp in (["Der Beitrag wurde am 9. März 2021 um 15:21 Uhr veröffentlicht und "
                   "unter Allgemein abgelegt."],
                  ["Zitiervorschlag:", "Anna Berger: Der neue Spielplatz. In: Blog Ortsleben, "
                   "9. März 2021."]):
        analysis = analyse("\n".join(body + stamp + comments), D(2022, 6, 1))
        (stamp_date,) = analysis.dates
        assert (stamp_date.role, stamp_date.place) == ("published", "own")
        assert analysis.infer().status == "contradiction"


def test_a_citation_of_another_text_is_not_the_articles_own():
    text = "\n".join(["Die Studie zeigt, wie sich Städte erwärmen."] * 8
                      + ["Originalpublikation:", "A. Berger: Urban heat. Nature, 9. März 2021."]
                      + ["Kommentar"] * 4)
    assert [d.place for d in analyse(text, D(2022, 6, 1)).dates] == ["middle"]


def test_both_ends_of_a_span_are_unsure():
    assert roles("The exhibition ran from 14 March 2025 to 13 May 2025 in the old mill.") \
        == ["unsure", "unsure"]
    assert roles("La muestra estuvo abierta del 14 de marzo de 2025 al 13 de mayo de 2025.") \
        == ["unsure", "unsure"]
    assert roles("Police arrested him on 14 March 2025 and charged him on 13 May 2025.") \
        == ["report", "report"]


def test_datelines_only_near_the_top_and_a_bare_date_closing_the_text():
    body = "\n".join(f"Sentence number {i} of the article goes on for a while." for i in range(20))
    assert roles(f"{body}\nMarch 13, 2025\n{body}") == ["aside"]
    assert roles(f"{body}\nMarch 13, 2025") == ["closing"]
    assert roles(f"Headline\nMarch 13, 2025\n{body}") == ["dateline"]


# ------------------------------------------------------------------------- inference

def test_header_agreeing_with_a_dateline_is_consistent():
    result = analyse("Headline\nMarch 13, 2025\nThe talks began.", D(2025, 3, 12)).infer()
    assert result.status == "consistent"
    assert result.date == D(2025, 3, 13)
    assert result.evidence[0].line == 2 and result.evidence[0].kind == "dateline"


def test_header_far_from_the_dateline_is_a_contradiction():
    result = analyse(" date 2024-12-03 All sections\nMarch 13, 2025\nThe talks began.",
                     D(2024, 12, 3), body_start=16).infer()
    assert result.status == "contradiction"
    assert result.date == D(2025, 3, 13)
    assert result.evidence[0].text == "March 13, 2025"


def test_tolerance_is_a_parameter():
    analysis = analyse("Headline\nMarch 13, 2025\nThe talks began.", D(2025, 3, 8))
    assert analysis.infer(Bounds(tolerance_days=3)).status == "contradiction"
    assert analysis.infer(Bounds(tolerance_days=7)).status == "consistent"


def test_an_update_stamp_before_the_header_is_suspect_never_a_contradiction():
    text = "Headline\nThe match was close.\n\nzuletzt bearbeitet: 04.02.2022, 08:27 Uhr\nMehr."
    late = analyse(text, D(2022, 8, 15)).infer()
    assert late.status == "suspect" and late.basis == "stamp" and "last updated" in late.reason
    assert analyse(text, D(2022, 2, 20)).infer().status == "consistent"  # a later change
    assert analyse(text, D(2022, 1, 30)).infer().status == "consistent"  # updated later


def test_reports_on_two_days_after_the_header_contradict_it():
    text = ("El alcalde fue detenido el 14 de abril de 2020 por la policía.\n"
            "La Unión Europea organizó el 4 de mayo de 2020 una conferencia.")
    result = analyse(text, D(2019, 9, 20)).infer()
    assert result.status == "contradiction" and result.basis == "events"
    assert result.date == D(2020, 5, 4)  # the latest report: the earliest the article can be
    assert [e.line for e in result.evidence] == [2, 1]
    assert analyse(text, D(2020, 5, 10)).infer().status == "consistent"


def test_dates_of_unknown_tense_after_the_header_are_only_suspect():
    text = ("Die Stadtwerke öffnen am 14. April 2020 das neue Bad.\n"
            "Am 4. Mai 2020 beginnt die Saison im Freibad.")
    result = analyse(text, D(2019, 9, 20)).infer()
    assert result.status == "suspect" and result.basis == "events"


def test_a_single_report_is_not_enough():
    text = "The fire was brought under control on February 20, 2020, officials said."
    assert analyse(text, D(2020, 1, 13)).infer().status == "consistent"
    far = analyse(text, D(2019, 1, 13)).infer()
    assert far.status == "suspect" and "1 event" in far.reason


def test_announced_dates_long_overdue_make_the_header_suspect():
    text = "Die WM in Doha soll am 15. Januar 2024 stattfinden, teilte der Verband mit."
    assert analyse(text, D(2022, 2, 1)).infer().status == "consistent"
    late = analyse(text, D(2024, 6, 1)).infer()
    assert late.status == "suspect" and "announces" in late.reason


def test_announcements_far_beyond_the_horizon_are_suspect():
    text = "Am 8. November 2021 findet der jährliche Gedenktag statt."
    assert analyse(text, D(2018, 2, 12)).infer().status == "suspect"
    assert analyse(text, D(2021, 2, 12)).infer().status == "consistent"


def test_news_long_past_by_the_header_is_suspect():
    text = ("Former premier cremated in Beijing\n"
            "Li Keqiang died of a heart attack in Shanghai on October 27, 2023, aged 68.\n"
            "Leaders paid their respects at the cemetery on Thursday morning.\n"
            "Thousands lined the streets as the motorcade passed.\n"
            "State television showed the ceremony live.")
    late = analyse(text, D(2024, 6, 10)).infer()
    assert late.status == "suspect" and "latest date" in late.reason
    assert late.evidence[0].line == 2
    assert analyse(text, D(2023, 11, 2)).infer().status == "consistent"
    assert analyse(text, D(2024, 6, 10)).infer(Bounds(stale_days=300)).status == "consistent"


def test_old_news_is_not_suspect_when_the_article_goes_on_to_later_dates():
    text = ("Anniversary of the blast\n"
            "The factory exploded on October 27, 2021, killing twelve workers.\n"
            "Filler line one of the article.\nFiller line two of the article.\n"
            "Filler line three of the article.\nFiller line four of the article.\n"
            "The inquiry published its report on 3 March 2024 and blamed the owners.")
    assert analyse(text, D(2024, 6, 10)).infer().status == "consistent"


@pytest.mark.parametrize("line", [
    "Oil fell to its lowest level since 6 March 2002, traders said.",
    "The mayor, born on 6 March 1962 in Lyon, studied law in Paris.",
    "Dieser Artikel ist ursprünglich am 6. März 2002 erschienen.",
    "Census Bureau. Methodology. Accessed at www2.census.gov/x.pdf on 14 December 2016.",
    "Friday marks the tenth anniversary of the blast of 4 August 2014 in the port.",
    "The court applied the agreement of 6 March 2002 between the two states.",
])
def test_long_past_dates_that_are_not_news_raise_no_doubt(line):
    filler = "\n".join(f"Filler line {i} of the article." for i in range(10))
    assert analyse(f"Headline\n{line}\n{filler}", D(2024, 6, 10)).infer().status \
        not in ("contradiction", "suspect")


def test_a_quoted_post_long_before_the_header_is_suspect():
    text = ("Die Juniorwahl\nDie Schüler stimmten ab.\nDie Grünen gewannen.\n"
            "So wählten die unter 30-Jährigen: pic.twitter.com/Q1pMVhJid8\n"
            "— ZDF heute (@ZDFheute) 26. Mai 2019")
    assert analyse(text, D(2020, 11, 26)).infer().status == "suspect"
    assert analyse(text, D(2019, 6, 11)).infer().status == "consistent"


def test_stamps_that_name_different_days_are_no_contradiction():
    text = ("Latest news\n12.03.2021 Police close the bridge after the storm\n"
            "15.06.2021 The council approves the new budget\n"
            "The town hall opened its doors to visitors.\nThe mayor welcomed the guests.")
    result = analyse(text, D(2019, 1, 10)).infer()
    assert result.status == "suspect" and "disagree" in result.reason
    assert analyse(text, D(2021, 3, 12)).infer().status == "consistent"


def test_a_publication_stamp_counts_at_the_top_or_the_bottom_not_in_between():
    body = "\n".join(f"Sentence number {i} of the article goes on for a while." for i in range(12))
    bottom = analyse(f"{body}\nVeröffentlicht am 02.12.2022", D(2021, 3, 17)).infer()
    assert bottom.status == "contradiction" and bottom.basis == "stamp"
    middle = analyse(f"{body}\nVeröffentlicht am 02.12.2022\n{body}", D(2021, 3, 17)).infer()
    assert middle.status == "suspect" and "middle" in middle.reason


def test_a_photo_caption_never_dates_the_article():
    text = ("FILE PHOTO: The president speaks in Paris, France, January 16, 2020. "
            "REUTERS/Charles Platiau\nThe president said the reform would go ahead.")
    assert analyse(text, D(2021, 6, 20)).infer().status == "unverifiable"
    assert analyse(text).infer().date is None
    with_dateline = "Headline\nJanuary 18, 2020\n" + text
    result = analyse(with_dateline).infer()
    assert result.date == D(2020, 1, 18) and result.basis == "dateline"


def test_dateline_outweighs_later_reported_dates():
    text = ("By Evan Symon, August 14, 2020 2:30 pm\nThe bill passed.\n"
            "The committee met on October 2, 2020 and on November 5, 2020.")
    assert analyse(text, D(2020, 8, 14)).infer().status == "consistent"
    assert analyse(text, D(2020, 8, 14)).anachronisms() == []


def test_year_less_dates_contradict_only_when_every_year_would():
    text = "MOSCOW, March 13 (Reuters) - Russian forces retook the town."
    far = analyse(text, D(2024, 12, 3)).infer()
    assert far.status == "contradiction" and far.basis == "dateline"
    assert far.date is None and "March 13 (no year)" in far.reason
    assert analyse(text, D(2024, 3, 12)).infer().status == "consistent"


def test_weekdays_that_fit_another_year_make_the_header_suspect():
    text = ("Colina fue detenido la tarde de este martes, 14 de abril, por la policía.\n"
            "Warren respaldó el miércoles a Biden.")
    result = analyse(text, D(2019, 9, 20)).infer()
    assert result.status == "suspect"
    assert result.date == D(2020, 4, 14)  # the only Tuesday, April 14 near 2019
    assert analyse(text, D(2020, 4, 15)).infer().status == "consistent"


def test_no_usable_date_is_unverifiable_and_no_header_is_missing():
    text = "Workers were seen stacking coffins in deep trenches on the island."
    unverifiable = analyse(text, D(2020, 4, 10)).infer()
    assert unverifiable.status == "unverifiable" and unverifiable.basis == "none"
    result = analyse("Headline\nUpdated 13 March 2025\nThe envoy arrived.").infer()
    assert result.status == "missing"
    assert result.date == D(2025, 3, 13) and result.basis == "stamp"


def test_line_numbers_count_the_header_line():
    text = " date 2025-03-13\nHeadline\nMarch 13, 2025\n"
    (located,) = analyse(text, D(2025, 3, 13), body_start=16).dates
    assert located.line == 3
    assert text[located.mention.start:located.mention.end] == "March 13, 2025"


# ---------------------------------------------------------------------------- properties

@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 ./-,:\nMarchMärzmartaTuesday年月日")),
               max_size=120))
def test_finding_never_fails_and_spans_are_exact(text):
    found = find_dates(text, reference=REF)
    ends = [0]
    for m in found:
        assert text[m.start:m.end] == m.text
        assert m.start >= ends[-1] or m.weekday is not None
        ends.append(m.end)
    analyse(text, REF).infer()
