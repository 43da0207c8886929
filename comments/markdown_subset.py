"""The small Markdown subset comments are written in, rendered to sanitised HTML.

Markdown is rendered with raw HTML escaped, then nh3 (the Ammonia sanitiser) keeps only a
short allow-list of tags, so no script or markup injection survives either step.
"""

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


def render_markdown(text: str) -> str:
    html = markdown.markdown(text, extensions=[_CommentSubset(), "nl2br", "sane_lists"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )
