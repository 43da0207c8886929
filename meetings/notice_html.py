"""The results notice as one self-contained HTML file (for the command: no site around it).

The page's stylesheet is copied in, since a file handed on by mail has no static server; the
site's own pages keep the strict CSP (no inline styles), this file is never served by Saima.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape

from meetings.selectors.notices import Notice

FILE_CSS = """
@page { size: A4; margin: 20mm 18mm; }
body { font-family: "Noto Serif CJK SC", SimSun, "Times New Roman", serif; font-size: 11pt; }
"""


def notice_html_file(notice: Notice, language: str) -> str:
    css = (Path(settings.BASE_DIR) / "static" / "css" / "notice.css").read_text(encoding="utf-8")
    body = render_to_string(
        "meetings/_notice_section.html", {"notice": notice, "LANGUAGE_CODE": language}
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(language)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(notice.title)}</title>\n<{'style'}>{FILE_CSS}{css}</{'style'}>\n"
        f'</head>\n<body>\n<article class="notice">\n<h1>{escape(notice.title)}</h1>\n'
        f"{body}\n</article>\n</body>\n</html>\n"
    )
