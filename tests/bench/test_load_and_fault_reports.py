"""The pure helpers of bench/loadtest.py and bench/faulttest.py: reading locust's figures and
judging a fault run. (locust itself is never imported here: it patches the interpreter.)"""

from decimal import Decimal

from bench.fault_report import (
    Event,
    body_is_clean,
    import_verdict,
    last_error_seconds,
    lost_figures,
    recovery_seconds,
    statuses_seen,
)
from bench.loadtest import signin_summary, stats_read, stats_table, tracebacks_count

LOCUST_STATS = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\n"
    "GET,home /,120,0,40,52.1,20,300,9000,2.0,0.0,40,50,60,70,90,120,200,250,300,300,300\n"
    "POST,comment post,10,1,90,95.0,70,400,0,0.2,0.02,90,95,100,110,200,300,400,400,400,400,400\n"
    "GET,sign in: form,0,0,0,0,0,0,0,0,0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A\n"
    ",Aggregated,130,1,45,55.0,20,400,8300,2.2,0.02,45,55,65,75,95,130,210,260,400,400,400\n"
)


def test_it_reads_locusts_figures_per_endpoint_and_in_total(tmp_path):
    path = tmp_path / "load_stats.csv"
    path.write_text(LOCUST_STATS)
    rows = {row.name: row for row in stats_read(path)}
    assert rows["home /"].requests == 120
    assert rows["home /"].p99_ms == 250
    assert rows["comment post"].failures == 1
    assert rows["sign in: form"].p50_ms == 0  # N/A when nothing was asked
    assert rows["Aggregated"].requests_per_second == 2.2


def test_its_table_puts_the_total_last_and_leaves_out_endpoints_never_asked(tmp_path):
    path = tmp_path / "load_stats.csv"
    path.write_text(LOCUST_STATS)
    lines = stats_table(stats_read(path)).splitlines()
    assert lines[-1] == "| **total** | 130 | 2.2 | 45 | 260 | 1 |"
    assert "| POST comment post | 10 | 0.2 | 90 | 400 | 1 |" in lines
    assert not any("sign in" in line for line in lines)


def test_a_sign_in_that_never_finished_counts_as_failed():
    summary = signin_summary([[1.5, True], [2.5, True], [3.0, False]], users=4)
    assert summary["failed"] == 2
    assert summary["max_s"] == 3.0
    assert summary["text"].startswith("2 of 4 signed in")


def test_it_counts_tracebacks_in_gunicorns_log():
    log = "ok\nTraceback (most recent call last):\n  boom\nTraceback (most recent call last):\n"
    assert tracebacks_count(log) == 2


def test_only_the_bilingual_error_page_without_internals_is_clean():
    page = "<h1>服务暂时不可用</h1><h1 lang='en'>Service unavailable</h1>"
    assert body_is_clean(page)
    assert not body_is_clean(page + "psycopg.OperationalError: connection refused")
    assert not body_is_clean("Traceback (most recent call last):")
    assert not body_is_clean("<h1>Server Error (500)</h1>")


def test_recovery_runs_from_the_database_answering_to_the_first_page_served():
    events = [
        Event("probe", 9.0, 9.5, 500),
        Event("write", 10.1, 10.2, 302),  # a write is not a page
        Event("probe", 10.0, 10.4, 500),
        Event("read", 10.3, 10.8, 200),
        Event("probe", 10.5, 11.0, 200),
    ]
    assert recovery_seconds(events, ready_at=10.0) == 0.8000000000000007
    assert last_error_seconds(events, ready_at=10.0) == 0.40000000000000036
    assert recovery_seconds(events[:3], ready_at=10.0) is None


def test_a_page_served_before_the_database_was_seen_answering_is_no_negative_recovery():
    assert recovery_seconds([Event("probe", 9.9, 10.05, 200)], ready_at=10.1) is None
    assert recovery_seconds([Event("probe", 9.9, 10.2, 200)], ready_at=10.1) == 0.09999999999999964


def test_statuses_seen_counts_answers_overlapping_the_outage():
    events = [
        Event("read", 1.0, 1.1, 200),
        Event("read", 2.0, 2.5, 500),
        Event("write", 2.2, 2.3, None, False, "ConnectionError"),
        Event("read", 4.0, 4.1, 200),
    ]
    assert statuses_seen(events, since=2.0, until=3.0) == {
        "read 500": 1,
        "write: no answer (ConnectionError)": 1,
    }


def test_a_figure_is_lost_when_missing_or_different():
    saved = {
        (1, 1, "2024Q1"): Decimal("1.5"),
        (1, 2, "2024Q1"): Decimal("2"),
        (2, 1, "2024Q1"): Decimal("3"),
    }
    stored = {(1, 1, "2024Q1"): Decimal("1.5000000000"), (1, 2, "2024Q1"): Decimal("2.1")}
    assert lost_figures(saved, stored) == [(1, 2, "2024Q1"), (2, 1, "2024Q1")]


def test_an_import_is_all_none_or_partial():
    assert import_verdict(200_000, 200_000) == "all"
    assert import_verdict(0, 200_000) == "none"
    assert import_verdict(5, 200_000) == "partial (5 of 200,000)"
