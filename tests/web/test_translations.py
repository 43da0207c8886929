"""The Simplified Chinese catalogue is complete, keeps its placeholders, and is what pages show."""

import gettext as gettext_module
import re
from pathlib import Path

import polib
import pytest
from asgiref.local import Local
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import deactivate, trans_real

from accounts.roles import Role

PO_PATH = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

NAMED_PLACEHOLDER = re.compile(r"%\([^)]+\)[sd]")
BRACE_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
# List separators: Chinese full-width punctuation carries its own spacing ("、", "；").
SEPARATORS = {", ", "; "}


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(PO_PATH))


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogue():
    """Compile the .po (only if it is newer than the .mo) and drop cached translations."""
    call_command("compile_catalogues", verbosity=0)
    # What Django's autoreloader does when a .mo changes: forget every loaded catalogue.
    gettext_module._translations = {}
    trans_real._translations = {}
    trans_real._default = None
    trans_real._active = Local()


@pytest.fixture(autouse=True)
def back_to_the_default_language():
    """A request with the cookie leaves Chinese active in the thread; later tests expect English."""
    yield
    deactivate()


def _translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def _source(entry: polib.POEntry) -> str:
    """Every placeholder a translation may use: the plural's too, since nplurals is 1."""
    return entry.msgid + "\n" + (entry.msgid_plural or "")


def test_the_header_names_the_language_and_is_not_fuzzy(catalogue):
    assert catalogue.metadata["Language"] == "zh_Hans"
    assert not catalogue.metadata_is_fuzzy
    assert catalogue.metadata["Plural-Forms"].startswith("nplurals=1;")


def test_every_entry_is_translated_and_none_is_fuzzy(catalogue):
    assert len(catalogue) > 400
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    assert [entry.msgid for entry in catalogue.obsolete_entries()] == []
    for entry in catalogue:
        if entry.msgid_plural:
            # Chinese has one plural form; a second one would be dead weight.
            assert sorted(entry.msgstr_plural) == [0], entry.msgid


def test_every_translation_keeps_the_placeholders_of_its_msgid(catalogue):
    problems = []
    for entry in catalogue:
        source = _source(entry)
        for translation in _translations(entry):
            if set(NAMED_PLACEHOLDER.findall(translation)) != set(
                NAMED_PLACEHOLDER.findall(source)
            ):
                problems.append((entry.msgid, translation))
            if "python-format" in entry.flags and translation.count("%%") != entry.msgid.count(
                "%%"
            ):
                problems.append((entry.msgid, translation))
            if "python-brace-format" in entry.flags and set(
                BRACE_PLACEHOLDER.findall(translation)
            ) != set(BRACE_PLACEHOLDER.findall(entry.msgid)):
                problems.append((entry.msgid, translation))
    assert problems == []


def test_every_translation_keeps_the_html_tags_and_edge_whitespace(catalogue):
    problems = []
    for entry in catalogue:
        for translation in _translations(entry):
            if HTML_TAG.findall(translation) != HTML_TAG.findall(entry.msgid):
                problems.append((entry.msgid, translation))
            for edge in ("\n",) if entry.msgid in SEPARATORS else (" ", "\n"):
                if entry.msgid.startswith(edge) != translation.startswith(edge):
                    problems.append((entry.msgid, translation))
                if entry.msgid.endswith(edge) != translation.endswith(edge):
                    problems.append((entry.msgid, translation))
    assert problems == []


@pytest.fixture
def chinese_client_for(client_for):
    def sign_in(role: Role):
        client = client_for(role)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
        return client

    return sign_in


def test_the_leaderboard_is_in_chinese_with_the_language_cookie(chinese_client_for, published):
    url = reverse("leaderboard", args=[published.race.code, published.latest_period.code])
    response = chinese_client_for(Role.OFFICIAL).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="zh-Hans"' in html
    # Navigation, column headers and the explanatory note under the table.
    for chinese in ("首页", "点评", "退出登录", "名次", "地区", "得分", "较上期", "主要原因"):
        assert chinese in html, chinese
    assert "“组内平均值”表示该项数据缺失，按组内平均值计。" in html
    for english in (">Home<", "Sign out", ">Rank<", "Since last period", "Main reason"):
        assert english not in html, english


def test_the_home_page_is_in_chinese_with_the_language_cookie(chinese_client_for, published):
    response = chinese_client_for(Role.OFFICIAL).get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    for chinese in ("首页", "赛马一览", "前三名", "名次", "较上期", "完整排行榜", "评价方法"):
        assert chinese in html, chinese
    for english in (">Home<", "Top three", "Since last period", "Full leaderboard"):
        assert english not in html, english


def test_without_the_cookie_pages_stay_in_english(client_for, published):
    html = client_for(Role.OFFICIAL).get(reverse("home")).content.decode()
    assert ">Home<" in html
    assert "Top three" in html
    assert "前三名" not in html


def test_the_sign_in_page_is_in_chinese_with_the_language_cookie(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    for chinese in ("登录", "用户名", "密码"):
        assert chinese in html, chinese
    for english in ("Sign in", "Username", ">Password<"):
        assert english not in html, english
