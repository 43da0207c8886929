"""The period grid: one district's figures for one period, entered on one admin page.

The rows are the indicators of the races the district runs in; saving goes through
value_save for every changed row, all or nothing; submitting hands the return to the bureau.
"""

from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from districts.models import DataReturn, ReturnStatus, Value, ValueStatus
from districts.periods import Period
from districts.selectors.grid import latest_quarter, period_grid_get
from districts.services.entry import value_save
from districts.services.review import return_send_back, return_submit
from rankings.services.races import race_load
from tests.builders import race_spec, user_with_role
from tests.factories import DistrictFactory, GroupFactory, IndicatorFactory, ValueFactory

pytestmark = pytest.mark.django_db

PERIOD = "2025Q2"


@pytest.fixture
def scene():
    """Two districts of a group that runs two active races and one retired race.

    The economy race ranks retail, gdp, jobs and a monthly indicator; the trade race ranks
    gdp again and exports. The own district has figures for the previous quarter (with
    annual targets) and for the same quarter last year.
    """
    group = GroupFactory()
    own, other = DistrictFactory(group=group), DistrictFactory(group=group)
    gdp = IndicatorFactory(code="gdp", unit="%", change_threshold=Decimal("20"))
    retail = IndicatorFactory(code="retail", unit="亿元", min_value=Decimal("0"))
    jobs = IndicatorFactory(code="jobs", unit="people")
    monthly = IndicatorFactory(code="unemployment", frequency="monthly")
    exports = IndicatorFactory(code="exports", unit="亿元")
    retired = IndicatorFactory(code="retired")
    race_load(spec=race_spec(code="economy", group=group.code, indicators=[retail, gdp, jobs]))
    economy = race_spec(code="economy", group=group.code, indicators=[retail, gdp, jobs, monthly])
    race_load(spec=economy)  # a second methodology version: the grid reads the current one
    race_load(spec=race_spec(code="trade", group=group.code, indicators=[gdp, exports]))
    race_load(spec=race_spec(code="old", group=group.code, indicators=[retired]), active=False)
    for indicator, previous, last_year, target in [
        (gdp, "5.0", "4.5", "6.5"),
        (retail, "120.5", "110", "500"),
        (jobs, "3000", None, None),
    ]:
        ValueFactory(
            district=own, indicator=indicator, period="2025Q1", value=Decimal(previous),
            target=Decimal(target) if target else None,
        )  # fmt: skip
        if last_year:
            ValueFactory(
                district=own, indicator=indicator, period="2024Q2", value=Decimal(last_year)
            )
    return {
        "own": own,
        "other": other,
        "indicators": {i.code: i for i in (gdp, retail, jobs, monthly, exports, retired)},
        "clerk": user_with_role(Role.CLERK, districts=[own]),
        "reviewer": user_with_role(Role.REVIEWER),
    }


def grid_url(district=None, period=PERIOD) -> str:
    url = reverse("admin:districts_value_grid")
    if district is None:
        return url
    return f"{url}?{urlencode({'district': district.code, 'period': period})}"


def offered_districts(response) -> set[str]:
    choices = response.context["choice"].fields["district"].widget.choices
    return {code for _group, options in choices[1:] for code, _label in options}


def row_codes(response) -> list[str]:
    return [line.row.indicator.code for line in response.context["lines"]]


class _GridInputs(HTMLParser):
    """The name and value of every input of the page's grid form, as a browser posts them."""

    def __init__(self):
        super().__init__()
        self.inside, self.fields = False, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "grid-form" in (attrs.get("class") or ""):
            self.inside = True
        elif tag == "input" and self.inside and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def grid_post(client, response, changes=None, *, action="save"):
    """Post the grid shown in ``response`` as the browser would, with the fields in
    ``changes`` ({indicator code: {field: text}}) retyped."""
    parser = _GridInputs()
    parser.feed(response.content.decode())
    data = {**parser.fields, "action": action}
    for code, fields in (changes or {}).items():
        for name, text in fields.items():
            data[f"{code}-{name}"] = text
    return client.post(response.wsgi_request.get_full_path(), data)


def line_of(response, code: str):
    return next(line for line in response.context["lines"] if line.row.indicator.code == code)


def errors_of(response, code: str) -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in line_of(response, code).form.errors.items()}


# Choosing the district and period


def test_a_clerk_is_offered_only_his_own_districts(client, scene):
    client.force_login(scene["clerk"])
    response = client.get(grid_url())
    assert response.status_code == 200
    assert offered_districts(response) == {scene["own"].code}


def test_the_bureau_is_offered_every_district(client, scene):
    client.force_login(scene["reviewer"])
    response = client.get(grid_url())
    assert offered_districts(response) >= {scene["own"].code, scene["other"].code}


def test_the_period_defaults_to_the_last_quarter_that_has_ended(client, scene):
    assert latest_quarter(today=date(2026, 11, 28)).code == "2026Q3"
    assert latest_quarter(today=date(2026, 1, 5)).code == "2025Q4"
    client.force_login(scene["clerk"])
    response = client.get(grid_url())
    assert (
        response.context["choice"]["period"].value()
        == latest_quarter(today=timezone.localdate()).code
    )


def test_a_clerk_asking_for_another_district_is_refused(client, scene):
    client.force_login(scene["clerk"])
    assert client.get(grid_url(scene["other"])).status_code == 403
    assert client.post(grid_url(scene["other"]), {"action": "save"}).status_code == 403


def test_an_unknown_district_is_named_on_the_page(client, scene):
    client.force_login(scene["reviewer"])
    response = client.get(reverse("admin:districts_value_grid") + "?district=nowhere&period=2025Q2")
    assert response.status_code == 200
    assert "No district has the code nowhere." in response.content.decode()


@pytest.mark.parametrize("period", ["2025Q5", "next quarter", "２０２５Q2"])
def test_an_unknown_period_is_named_on_the_page(client, scene, period):
    client.force_login(scene["clerk"])
    response = client.get(grid_url(scene["own"], period))
    assert response.status_code == 200
    assert "is not a period" in response.content.decode()
    assert "lines" not in response.context


# What the grid shows


def test_the_rows_are_the_indicators_of_the_active_races_in_methodology_order(client, scene):
    client.force_login(scene["clerk"])
    response = client.get(grid_url(scene["own"]))
    assert response.status_code == 200
    # Once each, the current methodology's order; the monthly indicator is not entered for a
    # quarter and the inactive race's indicator is not asked for.
    assert row_codes(response) == ["retail", "gdp", "jobs", "exports"]


def test_each_row_shows_the_previous_period_the_same_period_last_year_and_the_target(client, scene):
    client.force_login(scene["clerk"])
    response = client.get(grid_url(scene["own"]))
    rows = {line.row.indicator.code: line.row for line in response.context["lines"]}
    assert (rows["gdp"].previous, rows["gdp"].last_year) == (Decimal("5.0"), Decimal("4.5"))
    assert (rows["jobs"].previous, rows["jobs"].last_year) == (Decimal("3000"), None)
    assert rows["exports"].previous is None
    # The annual target of the year so far is offered for the new quarter's figure.
    assert rows["retail"].target == Decimal("500")
    assert rows["retail"].earlier_target_period == "2025Q1"
    page = response.content.decode()
    assert "120.5亿元" in page and "4.5%" in page
    assert "2025Q1" in page and "2024Q2" in page


def test_every_input_has_a_label_and_the_table_a_caption(client, scene):
    client.force_login(scene["clerk"])
    page = client.get(grid_url(scene["own"])).content.decode()
    assert "<caption" in page
    assert '<th scope="row">' in page and '<th scope="col"' in page
    for field in ("value", "target", "note", "justification"):
        assert f'<label class="visually-hidden" for="id_gdp-{field}">' in page


def test_the_paste_script_is_an_external_file(client, scene):
    client.force_login(scene["clerk"])
    page = client.get(grid_url(scene["own"])).content.decode()
    assert "js/period_grid.js" in page
    assert "onpaste" not in page


def test_the_status_of_a_returned_return_is_shown_with_the_reviewers_reason(client, scene):
    own, clerk = scene["own"], scene["clerk"]
    value_save(user=clerk, district=own, indicator=scene["indicators"]["jobs"], period=PERIOD,
               value=Decimal("3100"))  # fmt: skip
    return_submit(user=clerk, district=own, period=Period.parse(PERIOD))
    return_send_back(
        user=scene["reviewer"], district=own, period=Period.parse(PERIOD),
        reason="Jobs look doubled; check the source.",
    )  # fmt: skip
    client.force_login(clerk)
    page = client.get(grid_url(own)).content.decode()
    assert "grid-status-returned" in page
    assert "Jobs look doubled; check the source." in page


# Saving


def test_saving_creates_drafts_through_value_save_with_a_history_record(client, scene):
    client.force_login(scene["clerk"])
    shown = client.get(grid_url(scene["own"]))
    response = grid_post(
        client, shown, {"gdp": {"value": "5.4"}, "jobs": {"value": "-1.2", "note": "moved"}}
    )
    assert response.status_code == 302
    gdp = Value.objects.get(district=scene["own"], indicator__code="gdp", period=PERIOD)
    jobs = Value.objects.get(district=scene["own"], indicator__code="jobs", period=PERIOD)
    assert (gdp.value, gdp.status, gdp.entered_by) == (Decimal("5.4"), "draft", scene["clerk"])
    assert gdp.target == Decimal("6.5")  # the year's target travels with the new figure
    assert (jobs.value, jobs.note) == (Decimal("-1.2"), "moved")
    record = gdp.history.get()
    assert (record.history_user, record.history_change_reason) == (scene["clerk"], "period grid")
    # Untouched rows are not saved, even those whose target was offered.
    assert not Value.objects.filter(period=PERIOD, indicator__code__in=["retail", "exports"])
    assert DataReturn.objects.get(district=scene["own"], period=PERIOD).status == "draft"


def test_an_empty_field_saves_nothing_and_deletes_no_figure(client, scene):
    own, clerk = scene["own"], scene["clerk"]
    value_save(user=clerk, district=own, indicator=scene["indicators"]["gdp"], period=PERIOD,
               value=Decimal("5.1"))  # fmt: skip
    client.force_login(clerk)
    response = grid_post(client, client.get(grid_url(own)), {"gdp": {"value": ""}})
    assert response.status_code == 302
    assert Value.objects.get(district=own, indicator__code="gdp", period=PERIOD).value == Decimal(
        "5.1"
    )


def test_a_note_without_a_figure_is_refused_rather_than_dropped(client, scene):
    client.force_login(scene["clerk"])
    response = grid_post(client, client.get(grid_url(scene["own"])), {"exports": {"note": "x"}})
    assert response.status_code == 200
    assert "value" in errors_of(response, "exports")


def test_a_stale_version_is_refused_as_a_conflict_and_nothing_is_saved(client, scene):
    own, clerk, reviewer = scene["own"], scene["clerk"], scene["reviewer"]
    gdp = scene["indicators"]["gdp"]
    value_save(user=clerk, district=own, indicator=gdp, period=PERIOD, value=Decimal("5.1"))
    client.force_login(clerk)
    shown = client.get(grid_url(own))
    # The reviewer corrects the figure while the clerk has the page open.
    value_save(user=reviewer, district=own, indicator=gdp, period=PERIOD, value=Decimal("5.2"))

    response = grid_post(client, shown, {"gdp": {"value": "5.3"}, "jobs": {"value": "3100"}})

    assert response.status_code == 200
    assert "saved this figure after you opened it" in " ".join(errors_of(response, "gdp")["value"])
    assert Value.objects.get(district=own, indicator=gdp, period=PERIOD).value == Decimal("5.2")
    assert not Value.objects.filter(district=own, indicator__code="jobs", period=PERIOD).exists()
    page = response.content.decode()
    assert 'value="5.3"' in page and 'value="3100"' in page  # what the clerk typed is kept


def test_after_a_conflict_saving_again_keeps_the_clerks_figure(client, scene):
    own, clerk, gdp = scene["own"], scene["clerk"], scene["indicators"]["gdp"]
    value_save(user=clerk, district=own, indicator=gdp, period=PERIOD, value=Decimal("5.1"))
    client.force_login(clerk)
    shown = client.get(grid_url(own))
    value_save(user=scene["reviewer"], district=own, indicator=gdp, period=PERIOD,
               value=Decimal("5.2"))  # fmt: skip
    conflict = grid_post(client, shown, {"gdp": {"value": "5.3"}})
    assert conflict.status_code == 200

    again = grid_post(client, conflict)  # the page as shown, with the clerk's 5.3 kept

    assert again.status_code == 302
    assert Value.objects.get(district=own, indicator=gdp, period=PERIOD).value == Decimal("5.3")


def test_a_figure_someone_else_saved_in_an_empty_row_is_a_conflict_too(client, scene):
    own, clerk = scene["own"], scene["clerk"]
    client.force_login(clerk)
    shown = client.get(grid_url(own))
    value_save(user=scene["reviewer"], district=own, indicator=scene["indicators"]["exports"],
               period=PERIOD, value=Decimal("80"))  # fmt: skip
    response = grid_post(client, shown, {"exports": {"value": "81"}})
    assert response.status_code == 200
    assert errors_of(response, "exports")["value"]
    assert Value.objects.get(district=own, indicator__code="exports", period=PERIOD).value == 80


def test_a_row_someone_else_changed_but_the_clerk_did_not_is_left_alone(client, scene):
    own, clerk, gdp = scene["own"], scene["clerk"], scene["indicators"]["gdp"]
    value_save(user=clerk, district=own, indicator=gdp, period=PERIOD, value=Decimal("5.1"))
    client.force_login(clerk)
    shown = client.get(grid_url(own))
    value_save(user=scene["reviewer"], district=own, indicator=gdp, period=PERIOD,
               value=Decimal("5.2"))  # fmt: skip
    response = grid_post(client, shown, {"jobs": {"value": "3100"}})
    assert response.status_code == 302
    assert Value.objects.get(district=own, indicator=gdp, period=PERIOD).value == Decimal("5.2")
    assert Value.objects.get(district=own, indicator__code="jobs", period=PERIOD).value == 3100


def test_a_hard_error_on_one_row_saves_nothing_and_names_the_row(client, scene):
    client.force_login(scene["clerk"])
    shown = client.get(grid_url(scene["own"]))
    response = grid_post(client, shown, {"gdp": {"value": "5.4"}, "retail": {"value": "-3"}})
    assert response.status_code == 200
    assert "below the lowest valid value" in errors_of(response, "retail")["value"][0]
    assert errors_of(response, "gdp") == {}
    assert not Value.objects.filter(period=PERIOD).exists()
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert 'href="#id_retail-value"' in page  # the summary names and links the row
    assert 'aria-describedby="id_retail-value_error"' in page
    assert 'id="id_retail-value_error"' in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1,234.5", "without commas"),
        ("12.5%", "without the percent sign"),
        ("１２.５", "half-width"),
        ("twelve", "Type a number such as 3.9 or -1.2."),
        ("1e3", "Type a number such as 3.9 or -1.2."),
        ("1.12345678901", "decimal places"),
    ],
)
def test_a_number_not_written_plainly_is_refused_on_its_field(client, scene, typed, message):
    client.force_login(scene["clerk"])
    shown = client.get(grid_url(scene["own"]))
    response = grid_post(client, shown, {"gdp": {"value": typed}, "jobs": {"value": "3100"}})
    assert response.status_code == 200
    assert message in " ".join(errors_of(response, "gdp")["value"])
    assert f'value="{typed}"' in response.content.decode()
    assert not Value.objects.filter(period=PERIOD).exists()


@pytest.mark.parametrize("typed", ["3.9", "-1.2", "+4", ".5", "  7 "])
def test_plain_numbers_are_read(client, scene, typed):
    client.force_login(scene["clerk"])
    response = grid_post(client, client.get(grid_url(scene["own"])), {"jobs": {"value": typed}})
    assert response.status_code == 302
    value = Value.objects.get(district=scene["own"], indicator__code="jobs", period=PERIOD)
    assert value.value == Decimal(typed.strip())


def test_a_locked_value_is_shown_read_only_and_cannot_be_changed_via_the_grid(client, scene):
    own = scene["own"]
    locked = ValueFactory(district=own, indicator=scene["indicators"]["gdp"], period=PERIOD,
                          value=Decimal("5.0"), locked=True)  # fmt: skip
    client.force_login(scene["clerk"])
    shown = client.get(grid_url(own))
    page = shown.content.decode()
    assert "a reviewer reopens the return to correct them" in page
    assert 'aria-describedby="grid-gdp-locked grid-locked-help"' in page
    assert all(
        line_of(shown, "gdp").form.fields[name].widget.attrs.get("readonly")
        for name in ("value", "target", "note", "justification")
    )

    response = grid_post(client, shown, {"gdp": {"value": "9.9"}, "jobs": {"value": "3100"}})

    assert response.status_code == 200
    assert "locked" in errors_of(response, "gdp")["value"][0]
    locked.refresh_from_db()
    assert (locked.value, locked.version) == (Decimal("5.0"), 1)
    assert not Value.objects.filter(indicator__code="jobs", period=PERIOD).exists()


# Submitting


def test_a_flagged_figure_without_justification_cannot_be_submitted(client, scene):
    client.force_login(scene["clerk"])
    shown = client.get(grid_url(scene["own"]))
    # 9.0 after 5.0 is +80 %, beyond gdp's 20 % threshold.
    response = grid_post(client, shown, {"gdp": {"value": "9.0"}}, action="submit")
    assert response.status_code == 200
    page = response.content.decode()
    assert "The return was not submitted" in page
    assert "explain it before submitting" in page
    assert "up 80.0% on 2025Q1 (threshold 20%)" in page
    assert line_of(response, "gdp").submit_refused
    # The figure is saved as a draft; the return is not submitted.
    value = Value.objects.get(district=scene["own"], indicator__code="gdp", period=PERIOD)
    assert value.status == ValueStatus.DRAFT
    assert DataReturn.objects.get(district=scene["own"], period=PERIOD).status == "draft"


def test_with_a_justification_the_flagged_figure_submits(client, scene):
    client.force_login(scene["clerk"])
    shown = client.get(grid_url(scene["own"]))
    response = grid_post(
        client,
        shown,
        {"gdp": {"value": "9.0", "justification": "A new plant opened in April."},
         "jobs": {"value": "3100"}},
        action="submit",
    )  # fmt: skip
    assert response.status_code == 302
    values = Value.objects.filter(district=scene["own"], period=PERIOD)
    assert {v.status for v in values} == {ValueStatus.SUBMITTED}
    data_return = DataReturn.objects.get(district=scene["own"], period=PERIOD)
    assert (data_return.status, data_return.submitted_by) == (
        ReturnStatus.SUBMITTED,
        scene["clerk"],
    )


def test_a_justification_added_later_lets_the_return_submit(client, scene):
    client.force_login(scene["clerk"])
    refused = grid_post(
        client, client.get(grid_url(scene["own"])), {"gdp": {"value": "9.0"}}, action="submit"
    )
    assert refused.status_code == 200
    response = grid_post(
        client, refused, {"gdp": {"justification": "A new plant opened."}}, action="submit"
    )
    assert response.status_code == 302
    assert DataReturn.objects.get(district=scene["own"], period=PERIOD).status == "submitted"


# Reading the grid


def _indicators_in_a_race(count: int):
    group = GroupFactory()
    district = DistrictFactory(group=group)
    indicators = [IndicatorFactory(change_threshold=Decimal("10")) for _ in range(count)]
    race_load(spec=race_spec(code=f"race-{count}", group=group.code, indicators=indicators))
    for indicator in indicators:
        for period in ("2024Q2", "2025Q1", PERIOD):
            ValueFactory(district=district, indicator=indicator, period=period, target=10)
    return district


def test_the_grid_is_read_with_the_same_number_of_queries_for_3_or_12_indicators(scene):
    small, large = _indicators_in_a_race(3), _indicators_in_a_race(12)
    period = Period.parse(PERIOD)
    with CaptureQueriesContext(connection) as three:
        assert len(period_grid_get(district=small, period=period).rows) == 3
    with CaptureQueriesContext(connection) as twelve:
        assert len(period_grid_get(district=large, period=period).rows) == 12
    assert len(three) == len(twelve)


def test_the_grid_page_takes_the_same_number_of_queries_for_3_or_12_indicators(client, scene):
    small, large = _indicators_in_a_race(3), _indicators_in_a_race(12)
    client.force_login(scene["reviewer"])
    client.get(grid_url(small))  # the session and permission caches are warmed alike
    with CaptureQueriesContext(connection) as three:
        assert client.get(grid_url(small)).status_code == 200
    with CaptureQueriesContext(connection) as twelve:
        assert client.get(grid_url(large)).status_code == 200
    assert len(three) == len(twelve)
