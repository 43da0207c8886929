def test_the_published_race_builder_publishes_every_period_with_every_district(published):
    assert [p.revision for p in published.publications] == [1, 1]
    latest = published.publications[-1]
    assert latest.standings.count() == len(published.districts)
    assert latest.standings.exclude(movement="new").exists()
