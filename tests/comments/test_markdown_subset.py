"""Comments are written in a Markdown subset; nothing a browser would run survives rendering."""

from html.parser import HTMLParser

import pytest

from comments.markdown_subset import render_markdown


def elements(html: str) -> list[tuple[str, dict]]:
    """The tags a browser would build from ``html``, with their attributes."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Collector().feed(html)
    return found


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "Before <script>alert(1)</script> after",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">link</a>',
        '<iframe src="https://example.com"></iframe>',
        "<div><b>raw</b></div>",
        '<p onclick="alert(1)">text</p>',
    ],
)
def test_raw_html_is_shown_as_text_not_markup(text):
    html = render_markdown(text)

    assert elements(html) == [("p", {})]
    assert "&lt;" in html


@pytest.mark.parametrize(
    "link",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "[click](vbscript:msgbox)",
    ],
)
def test_script_links_lose_their_target(link):
    html = render_markdown(link)

    assert elements(html) == [("p", {}), ("a", {"rel": "nofollow noopener noreferrer"})]
    assert "click" in html


@pytest.mark.parametrize(
    "text",
    [
        "<img src=x onerror=alert(1)>",
        "<b onmouseover=alert(1)>hover</b>",
        '[x](https://example.com "title" onerror=alert(1))',
        '<a href="https://example.com" onclick="alert(1)">x</a>',
    ],
)
def test_no_element_carries_an_event_handler(text):
    for tag, attributes in elements(render_markdown(text)):
        assert not [name for name in attributes if name.startswith("on")], tag


def test_images_are_not_embedded():
    html = render_markdown("![chart](https://example.com/x.png)")

    assert "img" not in {tag for tag, _ in elements(html)}


def test_bold_italic_lists_links_and_quotes_are_kept():
    html = render_markdown(
        "**bold** and *italic*\n\n- one\n- two\n\n1. first\n2. second\n\n> quoted\n\n"
        "[report](https://example.com/report)"
    )

    assert "<strong>bold</strong>" in html
    assert "<em>italic</em>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert "<ol>\n<li>first</li>\n<li>second</li>\n</ol>" in html
    assert "<blockquote>\n<p>quoted</p>\n</blockquote>" in html
    assert (
        '<a href="https://example.com/report" rel="nofollow noopener noreferrer">report</a>' in html
    )


def test_a_single_line_break_is_kept():
    assert render_markdown("line one\nline two") == "<p>line one<br>\nline two</p>"


def test_an_image_outside_the_subset_stays_as_written_rather_than_vanishing():
    html = render_markdown("see ![chart](https://example.org/chart.png)")
    assert "<img" not in html
    assert "chart" in html


def test_a_heading_outside_the_subset_stays_a_paragraph_of_text():
    assert render_markdown("# Investment") == "<p># Investment</p>"


# --- hostile input: nothing a comment holds may crash or stall its rendering -------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

MARKDOWN_HEAVY = st.lists(
    st.sampled_from(list("1.-*+>[]()!`_#<&\\ \n\tax") + ["1. ", "- ", "> ", "[a](", "    "]),
    max_size=1500,
).map(lambda parts: "".join(parts)[:5000])


@settings(max_examples=150, deadline=None)
@given(MARKDOWN_HEAVY)
def test_any_markdown_heavy_text_renders_without_error(text):
    html = render_markdown(text)
    assert isinstance(html, str)
    assert "<script" not in html


@pytest.mark.parametrize(
    "text",
    ["1. " * 471, "1. " * 1666, "- " * 2500, "> " * 2500, "[" * 5000, "a[" * 2500],
    ids=["numbered-471", "numbered-1666", "bullets", "quotes", "brackets", "a-brackets"],
)
def test_deeply_nested_or_bracket_heavy_comments_render(text):
    html = render_markdown(text)
    assert html.count("<ol>") + html.count("<ul>") + html.count("<blockquote>") <= 6
