"""The quarterly meeting end to end in real Chromium: planned, prepared, held, recorded, read."""

from __future__ import annotations

import datetime

import pytest
from docx import Document

from comments.models import Comment
from meetings.models import DeploymentTask, Meeting, MeetingStatus, SpeechAttachment
from tests.browser.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERIOD = "2026Q3"
CLERK_DISTRICT = "220106"  # the demo clerk looks after Lüyuan District
TITLE = "Special horse-race meeting (browser test)"
# The smallest file a PDF reader accepts as a PDF: its header is what the upload checks.
TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_meeting_from_planning_to_the_minutes_read_in_chinese(
    demo, signed_in, live_server, screenshot
):
    # The reviewer plans the meeting and takes Saima's suggested speakers, adding Lüyuan.
    reviewer = signed_in("reviewer")
    reviewer.goto(f"{live_server.url}/meetings/")
    reviewer.get_by_role("link", name="Plan a meeting").click()
    reviewer.fill("input[name=title]", TITLE)
    reviewer.fill("input[name=period]", PERIOD)
    reviewer.get_by_label("Economic performance race: districts, counties").check()
    reviewer.fill("input[name=date]", datetime.date.today().isoformat())
    reviewer.select_option("select[name=form]", "video")
    reviewer.get_by_role("button", name="Plan the meeting").click()
    meeting = Meeting.objects.get(title=TITLE)
    assert reviewer.url.endswith(f"/meetings/{meeting.pk}/")

    reviewer.get_by_role("link", name="Choose the speaking units").click()
    suggested = reviewer.locator("table.speakers-table tbody tr").filter(
        has_not=reviewer.locator("td:nth-child(3):text-is('—')")
    )
    assert suggested.count() >= 2  # the leader, the biggest riser, a flagged unit
    for row in suggested.all():
        row.locator("input[type=checkbox]").check()
    reviewer.locator(f"tr[data-unit='{CLERK_DISTRICT}'] input[type=checkbox]").check()
    reviewer.locator(f"tr[data-unit='{CLERK_DISTRICT}'] input[type=text]").fill(
        "Asked to speak on its investment projects"
    )
    suggested_units = {row.get_attribute("data-unit") for row in suggested.all()}
    reviewer.get_by_role("button", name="Save the speakers").click()
    reviewer.wait_for_url(f"{live_server.url}/meetings/{meeting.pk}/")
    chosen = set(meeting.speeches.values_list("district__code", flat=True))
    assert chosen == suggested_units | {CLERK_DISTRICT}

    # Lüyuan's clerk opens the planned meeting (its unit speaks) and uploads its speech.
    clerk = signed_in("clerk")
    clerk.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    clerk.locator(f"#speech-{meeting.speeches.get(district__code=CLERK_DISTRICT).pk}").get_by_role(
        "link", name="Write the speech"
    ).click()
    clerk.fill("input[name=title]", "Projects brought forward")
    clerk.fill("textarea[name=body]", "We brought **two projects** forward.")
    clerk.set_input_files(
        "input[name=attachment]",
        files=[{"name": "speech.pdf", "mimeType": "application/pdf", "buffer": TINY_PDF}],
    )
    clerk.get_by_role("button", name="Submit the speech").click()
    assert SpeechAttachment.objects.filter(speech__meeting=meeting, size=len(TINY_PDF)).exists()

    # The official comments on Lüyuan at the meeting and deploys a task to it.
    official = signed_in("official")
    official.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    assert "Projects brought forward" in official.content()
    official.select_option("select[name=concerning]", f"district:counties-economy:{CLERK_DISTRICT}")
    official.fill("textarea[name=body]", "Keep the projects on schedule.")
    official.get_by_role("button", name="Record the comment").click()
    assert Comment.objects.filter(meeting=meeting, district__code=CLERK_DISTRICT).exists()
    official.get_by_role("link", name="Deploy a task").click()
    official.fill("textarea[name=text]", "Report the two projects weekly.")
    official.locator("fieldset").get_by_label("Lüyuan District").check()
    official.fill(
        "input[name=due_date]", (datetime.date.today() + datetime.timedelta(days=60)).isoformat()
    )
    official.get_by_role("button", name="Deploy the task").click()
    assert DeploymentTask.objects.filter(meeting=meeting).count() == 1

    # The reviewer records the meeting as held and publishes the minutes.
    reviewer.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    reviewer.get_by_role("link", name="Record as held").click()
    reviewer.fill("textarea[name=attendance]", "City leaders\nThe units of the race")
    reviewer.get_by_role("button", name="Record as held").click()
    screenshot(reviewer, "meeting-en")
    reviewer.get_by_role("button", name="Publish the minutes").click()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.MINUTES_PUBLISHED

    # The viewer reads the minutes and downloads the notice, in Chinese.
    viewer = signed_in("viewer", language="zh-hans")
    viewer.goto(f"{live_server.url}/meetings/")
    viewer.get_by_role("link", name=TITLE).click()
    screenshot(viewer, "meeting-zh")
    viewer.get_by_role("link", name="会议纪要").first.click()
    minutes = viewer.content()
    for text in (
        "Projects brought forward",
        "Keep the projects on schedule.",
        "Report the two projects weekly.",
    ):
        assert text in minutes
    assert "一、" in minutes
    screenshot(viewer, "minutes-zh")
    # The minutes print on A4: the download link and the menu stay off paper.
    viewer.emulate_media(media="print")
    assert not viewer.get_by_role("link", name="下载 Word 文档（.docx）").is_visible()
    pdf = viewer.pdf(format="A4")
    assert pdf.startswith(b"%PDF-") and len(pdf) > 1000
    (SCREENSHOTS / "minutes-zh.pdf").write_bytes(pdf)
    viewer.emulate_media(media="screen")
    viewer.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    with viewer.expect_download() as download:
        viewer.get_by_role("link", name="结果通报（.docx）").click()
    assert download.value.suggested_filename.endswith("-zh.docx")
    document = Document(str(download.value.path()))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert any(h.startswith("一、") for h in headings)
    cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    assert "绿园区" in cells
