"""rank_change_parts_each (stages A, C and D run once, stage B only for the district's own
row) gives exactly what rank_change_parts (four full runs) gives for each district."""

from hypothesis import given, settings
from hypothesis import strategies as st

from rankings.engine import rank_change_parts
from rankings.engine.rank_change import rank_change_parts_each

from .test_explain_rank_change import METHODOLOGIES, rows, setup_of


@settings(max_examples=80, deadline=None, database=None)
@given(
    before=rows(),
    after=rows(),
    old=st.sampled_from(METHODOLOGIES),
    new=st.sampled_from(METHODOLOGIES),
)
def test_every_districts_parts_are_those_of_its_own_chain_of_full_runs(before, after, old, new):
    earlier, later = setup_of(old, before), setup_of(new, after)
    districts = sorted(after)
    each = rank_change_parts_each(
        districts=districts, before=earlier, after=later, previous_period="2025Q1"
    )
    for district in districts:
        alone = rank_change_parts(
            district=district, before=earlier, after=later, previous_period="2025Q1"
        )
        assert each[district] == alone
        if alone is not None:
            assert list(each[district].own) == list(alone.own)
