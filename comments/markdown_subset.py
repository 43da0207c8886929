"""The small Markdown subset comments are written in, rendered to sanitised HTML.

Markdown is rendered with raw HTML escaped, then nh3 (the Ammonia sanitiser) keeps only a
short allow-list of tags, so no script or markup injection survives either step.
"""

import re
from html import escape

import markdown
import nh3

ALLOWED_TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "code", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


class _CommentSubset(markdown.Extension):
    """Raw HTML stays text; images and headings, outside the subset, stay as written."""

    def extendMarkdown(self, md):  # noqa: N802 (the markdown library's name)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        # Without these an image would vanish and a heading lose its paragraph.
        md.inlinePatterns.deregister("image_link")
        md.inlinePatterns.deregister("image_reference")
        md.inlinePatterns.deregister("short_image_ref")
        md.parser.blockprocessors.deregister("hashheader")
        md.parser.blockprocessors.deregister("setextheader")


# Deeper lists and quotes than anyone writes make the Markdown parser recurse until Python
# gives up; a long run of "[" makes its link pattern backtrack for seconds. Both are bounded
# before parsing, so no comment can crash or slow a page.
MAX_NESTING = 6
MAX_INDENT = 4 * MAX_NESTING
MAX_BRACKETS = 100
_BLOCK_MARKER = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+|[ \t]*>[ \t]?")
_LEADING_MARKERS = re.compile(r"^(?:[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+|[ \t]*>[ \t]?)+", re.M)
_LEADING_SPACE = re.compile(r"^[ \t]+", re.M)
_MARKUP_CHARACTER = re.compile(r"([-*+.)>])")


def _literal(marker: str) -> str:
    """A list or quote marker written so that Markdown shows it as text."""
    return _MARKUP_CHARACTER.sub(r"\\\1", marker)


def _bounded(text: str) -> str:
    def shallower(match: re.Match) -> str:
        markers = _BLOCK_MARKER.findall(match.group(0))
        if len(markers) <= MAX_NESTING:
            return match.group(0)
        return "".join(markers[:MAX_NESTING]) + "".join(_literal(m) for m in markers[MAX_NESTING:])

    text = _LEADING_MARKERS.sub(shallower, text)
    text = _LEADING_SPACE.sub(lambda m: m.group(0)[:MAX_INDENT], text)
    if text.count("[") > MAX_BRACKETS:
        text = text.replace("[", "\\[")
    return text


def render_markdown(text: str) -> str:
    try:
        html = markdown.markdown(
            _bounded(text), extensions=[_CommentSubset(), "nl2br", "sane_lists"]
        )
    except RecursionError:
        # A shape the bounds above did not foresee: show the text as written, escaped.
        html = "<p>" + escape(text).replace("\n", "<br>") + "</p>"
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )
