"""The server-side SVG rank chart: points, gaps, scale and escaping."""

import xml.etree.ElementTree as ET

from django.utils.html import conditional_escape

from rankings.charts import (
    HEIGHT,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    RankChartText,
    RankPoint,
    rank_history_svg,
    rank_y,
)

SVG = "{http://www.w3.org/2000/svg}"
TEXT = RankChartText(
    title="Rank of District 1", description="Rank 1 is best.", x_axis="Period", y_axis="Rank"
)


def draw(points, max_rank=4, text=TEXT):
    svg = rank_history_svg(points=points, max_rank=max_rank, text=text, chart_id="chart")
    return svg, ET.fromstring(svg)


def circles(tree):
    return tree.findall(f"{SVG}circle")


def lines(tree):
    return tree.findall(f"{SVG}path[@class='rank-line']")


def test_it_draws_one_labelled_point_per_ranked_period():
    _svg, tree = draw([RankPoint("2025Q1", 3), RankPoint("2025Q2", 1), RankPoint("2025Q3", 2)])

    assert len(circles(tree)) == 3
    labels = [t.text for t in tree.findall(f"{SVG}text[@class='rank-label']")]
    assert labels == ["3", "1", "2"]
    assert len(lines(tree)) == 1
    assert lines(tree)[0].get("d").count("L") == 2


def test_a_shared_place_is_labelled_with_an_equals_sign():
    _svg, tree = draw([RankPoint("2025Q1", 2, "=2")])

    assert tree.find(f"{SVG}text[@class='rank-label']").text == "=2"


def test_an_unranked_period_leaves_a_gap_in_the_line():
    points = [
        RankPoint("2025Q1", 1),
        RankPoint("2025Q2", 2),
        RankPoint("2025Q3", None),
        RankPoint("2025Q4", 3),
        RankPoint("2026Q1", 4),
    ]
    _svg, tree = draw(points)

    assert len(circles(tree)) == 4
    assert [path.get("d").count("M") for path in lines(tree)] == [1, 1]
    assert len(lines(tree)) == 2


def test_a_ranked_period_between_two_gaps_is_a_point_without_a_line():
    points = [RankPoint("2025Q1", None), RankPoint("2025Q2", 2), RankPoint("2025Q3", None)]
    _svg, tree = draw(points)

    assert len(circles(tree)) == 1
    assert lines(tree) == []


def test_rank_one_sits_at_the_top_and_the_group_size_at_the_bottom():
    _svg, tree = draw([RankPoint("2025Q1", 1), RankPoint("2025Q2", 10)], max_rank=10)

    top, bottom = (float(c.get("cy")) for c in circles(tree))
    assert top == MARGIN_TOP
    assert bottom == HEIGHT - MARGIN_BOTTOM
    assert rank_y(2, 10) < rank_y(3, 10)


def test_a_rank_beyond_the_given_group_size_widens_the_scale():
    _svg, tree = draw([RankPoint("2025Q1", 6)], max_rank=4)

    assert float(circles(tree)[0].get("cy")) == HEIGHT - MARGIN_BOTTOM


def test_text_is_escaped_so_labels_cannot_inject_markup():
    text = RankChartText(
        title="A <script> & co", description="<b>bold</b>", x_axis="x<", y_axis="y>"
    )
    svg, tree = draw([RankPoint('<img src="x">', 1)], text=text)

    assert "<script>" not in svg and "<img" not in svg and "<b>" not in svg
    assert "A &lt;script&gt; &amp; co" in svg
    assert tree.find(f"{SVG}title").text == "A <script> & co"
    assert tree.find(f"{SVG}desc").text == "<b>bold</b>"


def test_the_chart_is_an_image_named_by_its_title_and_description():
    _svg, tree = draw([RankPoint("2025Q1", 1)])

    assert tree.get("role") == "img"
    title_id, desc_id = tree.get("aria-labelledby").split()
    assert tree.find(f"{SVG}title").get("id") == title_id
    assert tree.find(f"{SVG}desc").get("id") == desc_id


def test_the_axes_are_labelled_with_periods_and_their_titles():
    _svg, tree = draw([RankPoint("2025Q1", 1), RankPoint("2025Q2", 2)])

    words = [t.text for t in tree.findall(f"{SVG}text")]
    assert {"2025Q1", "2025Q2", "Period", "Rank"} <= set(words)


def test_templates_insert_the_chart_as_markup_not_as_text():
    svg, _tree = draw([RankPoint("2025Q1", 1)])

    assert conditional_escape(svg) == svg
