import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.roles import Role
from rankings.methodology_text import (
    cap_text,
    flag_text,
    input_text,
    methodology_describe,
    missing_text,
    normalisation_text,
    score_rules_text,
)
from rankings.services.publishing import standings_publish
from rankings.services.races import race_load
from tests.builders import race_spec


def page_url(published, version=None) -> str:
    url = reverse("methodology", args=[published.race.code])
    return f"{url}?version={version}" if version else url


@pytest.mark.parametrize("role", list(Role))
def test_the_methodology_page_renders_for_every_role(client_for, published, role):
    assert client_for(role).get(page_url(published)).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, published):
    assert client.get(page_url(published)).status_code == 302


def test_a_user_without_a_role_is_refused(client, published):
    client.force_login(get_user_model().objects.create_user("nobody", password="x-123456789"))
    assert client.get(page_url(published)).status_code == 403


def test_the_page_lists_every_indicator_with_its_method_and_share(client_for, published):
    html = client_for(Role.VIEWER).get(page_url(published)).content.decode()
    for indicator in published.indicators:
        assert indicator.name_en in html
    # The builder's defaults: efficacy coefficient, missing figures at the group average.
    assert html.count("efficacy coefficient: 60 + 40 × (x − min) / (max − min)") == 2
    assert html.count("efficacy coefficient: 60 + 40 × (max − x) / (max − min)") == 1
    assert html.count("counted at the group average") == 3
    assert html.count("lower is better") == 1
    assert html.count("33.3%") >= 3  # three equal weights


def test_the_page_explains_how_scores_become_ranks(client_for, published):
    html = client_for(Role.VIEWER).get(page_url(published)).content.decode()
    assert "The score is the weighted mean of its parts." in html
    assert "Scores are rounded to 2 decimal places before ranking" in html
    assert "The highest score ranks first." in html
    assert published.indicators[0].name_en + ", in that order" in html
    assert "Red flag: the first ranked district" in html
    assert "Yellow flag: the last ranked district" in html


def test_the_page_lists_versions_and_the_publications_that_use_them(client_for, published):
    spec = race_spec(
        code=published.race.code, group=published.group.code, indicators=published.indicators
    )
    spec["nodes"][0]["weight"] = 2
    race_load(spec=spec, note="GDP counts double")
    standings_publish(race=published.race, period=published.latest_period)
    client = client_for(Role.VIEWER)

    newest = client.get(page_url(published)).content.decode()
    assert "Version 2, adopted" in newest
    assert "GDP counts double" in newest
    assert "50.0%" in newest  # weight 2 of 4
    for period in published.periods:
        assert f"{period.code} r1" in newest
    assert f"{published.latest_period.code} r2" in newest

    older = client.get(page_url(published, version=1)).content.decode()
    assert "This is version 1; the race now uses version 2." in older
    assert "33.3%" in older


def test_an_unknown_version_is_not_found(client_for, published):
    assert client_for(Role.VIEWER).get(page_url(published, version=7)).status_code == 404
    assert client_for(Role.VIEWER).get(page_url(published, version="x")).status_code == 404


def test_an_unknown_race_is_not_found(client_for, published):
    url = reverse("methodology", args=["nope"])
    assert client_for(Role.VIEWER).get(url).status_code == 404


# The plain-words description, one method at a time.


def test_inputs_are_described_in_plain_words():
    assert input_text("value") == "the entered value"
    assert input_text("growth") == "growth over the same period last year, in %"
    assert input_text("target_completion") == "completion of the annual target, in %"
    assert input_text("progress").startswith("progress against the share of the year elapsed")


def test_normalisation_methods_are_described_with_their_formulas():
    goalposts = normalisation_text(
        {"method": "goalposts", "min": 20, "max": 85, "scale": 1}, higher=True
    )
    assert goalposts.startswith("fixed goalposts 20–85: 1 × (x − 20) / (85 − 20)")
    assert "sd" in normalisation_text({"method": "zscore"}, higher=True)
    assert "100 × (max − x)" in normalisation_text({"method": "minmax"}, higher=False)
    steps = normalisation_text(
        {"method": "rank_points", "mode": "step", "points": 10, "step": 1}, higher=True
    )
    assert steps == "rank points: 10 for the first place, 1 fewer for each place below"
    target = normalisation_text({"method": "target_ratio", "scale": 100, "cap": 120}, higher=True)
    assert target == "share of each district's own annual target: 100 × x / target, at most 120"


def test_caps_missing_values_and_flags_are_described():
    assert cap_text({"min": 0, "max": 120}) == "normalised value kept between 0 and 120"
    assert cap_text({"max": 110}) == "normalised value at most 110"
    assert missing_text("zero") == "counted as zero"
    assert missing_text("reweight").startswith("left out")
    assert flag_text({"name": "red", "position": "top", "count": 3}).startswith(
        "Red flag: the first 3 ranked districts"
    )


def test_score_rules_describe_coverage_and_plain_ties():
    rules = dict(
        score_rules_text(
            {"aggregation": "geometric_mean", "min_coverage": 0.6, "order": "lowest_first"}, {}
        )
    )
    assert rules["Score"] == "The score is the weighted geometric mean of its parts."
    assert rules["Coverage"].startswith(
        "A district is ranked only if its entered figures cover at least 60%"
    )
    assert rules["Order"] == "The lowest score ranks first."
    assert rules["Ties"].startswith("Districts with equal scores share the place")
    assert rules["Rounding"] == "Scores are not rounded before ranking."


def test_shares_multiply_down_the_tree():
    spec = {
        "nodes": [
            {
                "code": "a",
                "weight": 3,
                "aggregation": "weighted_mean",
                "nodes": [
                    {"indicator": "x", "weight": 1, "normalisation": {"method": "raw"}},
                    {"indicator": "y", "weight": 3, "normalisation": {"method": "raw"}},
                ],
            },
            {"indicator": "z", "weight": 1, "normalisation": {"method": "raw"}},
        ],
    }
    shares = {node.code: node.share for node in methodology_describe(spec, {}).nodes}
    assert shares == pytest.approx({"a": 75, "x": 18.75, "y": 56.25, "z": 25})
