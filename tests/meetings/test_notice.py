"""The results notice: its figures are the publication's, in every form it takes."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from docx import Document

from accounts.roles import Role
from meetings.notice_docx import notice_docx
from meetings.selectors.notices import notice_for_race, score_decimals
from pages.formatting import format_number
from rankings.models import Publication


def _expected(publication: Publication) -> list[tuple]:
    decimals = score_decimals(publication)
    return [
        (s.district.code, s.rank, format_number(s.score, decimals), sorted(s.flags))
        for s in publication.standings.select_related("district").order_by(
            "rank", "district__order", "district__code"
        )
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_rank_score_and_flag_is_the_publications(published, language):
    publication = published.publications[-1]
    with translation.override(language):
        notice = notice_for_race(race=published.race, period=published.latest_period)
    (section,) = notice.races
    assert section.published and section.revision == publication.revision
    got = [(r.district_code, r.rank, r.score_text, sorted(r.flags)) for r in section.rows]
    assert got == _expected(publication)
    assert len(section.red) == 1 and len(section.yellow) == 1


@pytest.mark.django_db
def test_after_a_correction_the_notice_reads_the_new_revision(published):
    from decimal import Decimal

    from districts.models import Value
    from rankings.services.publishing import standings_publish

    period = published.latest_period
    value = Value.objects.filter(district=published.districts[-1], period=period.code).first()
    value.value = Decimal(99)
    value.save()
    result = standings_publish(race=published.race, period=period)
    assert result.publication.revision == 2
    notice = notice_for_race(race=published.race, period=period)
    assert notice.races[0].revision == 2
    got = [(r.district_code, r.rank, r.score_text, sorted(r.flags)) for r in notice.races[0].rows]
    assert got == _expected(result.publication)
    assert got != _expected(published.publications[-1])


@pytest.mark.django_db
def test_an_unpublished_period_says_so(published):
    period = published.latest_period.next()
    notice = notice_for_race(race=published.race, period=period)
    assert not notice.races[0].published and notice.races[0].rows == []


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_docx_has_headings_a_table_with_every_unit_and_page_numbers(published, language):
    with translation.override(language):
        notice = notice_for_race(race=published.race, period=published.latest_period)
        data = notice_docx(notice, chinese=language.startswith("zh"))
    document = Document(io.BytesIO(data))
    headings = [p for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert any(p.style.name == "Heading 1" for p in headings)
    assert len([p for p in headings if p.style.name == "Heading 2"]) == 6
    if language == "zh-hans":
        assert headings[1].text.startswith("一、")
    (table,) = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    section = notice.races[0]
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (row.rank_text, row.district, row.score_text) for row in section.rows
    ]
    with translation.override(language):
        assert {d.display_name for d in published.districts} == {r[1] for r in rows}
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer and "fldChar" in footer
    assert 'w:eastAsia="SimSun"' in document.styles["Normal"].element.xml


@pytest.mark.django_db
def test_the_page_is_for_signed_in_readers_and_shows_every_unit(published, client_for, client):
    url = reverse(
        "meetings:race-notice",
        kwargs={"race": published.race.code, "period": published.latest_period.code},
    )
    assert client.get(url).status_code == 302  # to sign in
    reader = client_for(Role.VIEWER)
    page = reader.get(url).content.decode()
    for row in notice_for_race(race=published.race, period=published.latest_period).races[0].rows:
        assert f'data-district="{row.district_code}"' in page
        assert row.score_text in page
    docx = reader.get(url + "docx/")
    assert docx.status_code == 200
    assert Document(io.BytesIO(docx.content)).tables
    assert reader.get(url.replace(published.race.code, "no-such-race")).status_code == 404
    assert reader.get(url.replace(published.latest_period.code, "2025Q9")).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["docx", "html"])
def test_the_command_writes_the_file(published, tmp_path, file_format):
    target = tmp_path / f"notice.{file_format}"
    call_command(
        "notice",
        published.race.code,
        published.latest_period.code,
        "--language",
        "zh-hans",
        "--format",
        file_format,
        "-o",
        str(target),
    )
    if file_format == "docx":
        names = [row.cells[1].text for row in Document(str(target)).tables[0].rows[1:]]
        assert sorted(names) == sorted(d.name for d in published.districts)
    else:
        text = target.read_text(encoding="utf-8")
        assert text.startswith("<!DOCTYPE html>") and "一、" in text
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["no-such-race", "2025Q2"], "MEETING|RACE"),
        (["RACE", "2025Q9"], "PERIOD"),
        (["RACE", "2025Q2", "--language", "fr"], "--language"),
        (["RACE", "2025Q2", "--format", "pdf"], "--format"),
        (["RACE", "2025Q2", "-o", "/no/such/folder/x.docx"], "-o"),
        (["999999", "2025Q2"], "MEETING"),
    ],
)
def test_bad_arguments_end_in_a_message_naming_them(published, tmp_path, arguments, named):
    arguments = [published.race.code if a == "RACE" else a for a in arguments]
    if "-o" not in arguments:
        arguments += ["-o", str(tmp_path / "x.docx")]
    with pytest.raises(CommandError, match=named.replace("|", r"\|")):
        call_command("notice", *arguments)
    assert not any(tmp_path.iterdir())


@pytest.mark.django_db
def test_a_notice_of_several_races_has_every_unit_of_every_race_in_its_docx(published):
    from meetings.selectors.notices import notice_for_races
    from tests.builders import build_published_race

    other = build_published_race(districts=5, code="other-race")
    races = [published.race, other.race]
    with translation.override("zh-hans"):
        notice = notice_for_races(title="赛马结果通报", races=races, period=published.latest_period)
        document = Document(io.BytesIO(notice_docx(notice, chinese=True)))
        names = [{d.display_name for d in r.districts} for r in (published, other)]
    assert len(document.tables) == 2
    for table, expected in zip(document.tables, names, strict=True):
        assert {row.cells[1].text for row in table.rows[1:]} == expected
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == [
        section.race for section in notice.races
    ]


@pytest.mark.django_db
def test_stored_rank_change_parts_are_quoted_among_the_drivers(published):
    from rankings.models import StandingExplanation

    publication = published.publications[-1]
    mover = publication.standings.exclude(rank_change=0).exclude(rank_change=None).first()
    code = published.indicators[0].code
    parts = {
        "previous_period": "2025Q1",
        "score_change": -4.5,
        "own": {code: -3.0},
        "others": -1.0,
        "methodology": -0.5,
    }
    StandingExplanation.objects.update_or_create(
        publication=publication,
        district=mover.district,
        defaults={"rank_change": parts, "complete": True},
    )
    notice = notice_for_race(race=published.race, period=published.latest_period)
    (move,) = [m for m in notice.races[0].moves if m.district == mover.district.display_name]
    assert any(
        "Score change -4.50: own figures -3.00" in text and "other units -1.00" in text
        for text in move.drivers
    )
