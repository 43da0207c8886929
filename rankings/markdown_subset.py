"""The small Markdown subset comments are written in, rendered to sanitised HTML.

Markdown is rendered with raw HTML escaped, then nh3 (the Ammonia sanitiser) keeps only a
short allow-list of tags, so no script or markup injection survives either step.
"""

import markdown
import nh3

ALLOWED_TAGS = {"p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "code", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


class _EscapeRawHtml(markdown.Extension):
    def extendMarkdown(self, md):  # noqa: N802 (the markdown library's name)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def render_markdown(text: str) -> str:
    html = markdown.markdown(text, extensions=[_EscapeRawHtml(), "nl2br", "sane_lists"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )
