"""The returns an import of values touches follow the status of its values.

For each (district, period) of the file a return exists afterwards: created where there is
none, and moved to the imported status where the import wrote a figure of it or its status
differs, with who and when, and a historical record of each. Twenty thousand returns (a
million values) take one query per batch of ids, not a Django object per return.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Value
from django.db.models.functions import Coalesce

from districts.importing.history import history_copy
from districts.importing.value_writes import BATCH_SIZE, ImportSettings
from districts.models import DataReturn, ReturnStatus, ValueStatus

# The statuses an import may give its values, and the return status that goes with each.
IMPORT_RETURN_STATUSES = {
    ValueStatus.DRAFT: ReturnStatus.DRAFT,
    ValueStatus.SUBMITTED: ReturnStatus.SUBMITTED,
    ValueStatus.APPROVED: ReturnStatus.APPROVED,
}


def returns_follow(
    *,
    pairs: set[tuple[int, str]],
    written_pairs: set[tuple[int, str]],
    settings: ImportSettings,
) -> None:
    """Give every (district, period) return the file touches the status of its values.

    A return is created where there is none, and changed where the import wrote a figure
    of it or its status differs, with who and when, and a historical record of each.
    """
    status = IMPORT_RETURN_STATUSES[settings.status]
    districts_by_period: dict[str, list[int]] = defaultdict(list)
    for district_id, period in pairs:
        districts_by_period[period].append(district_id)
    existing: dict[tuple[int, str], tuple[int, str]] = {}
    for period, district_ids in districts_by_period.items():
        district_ids.sort()
        for start in range(0, len(district_ids), BATCH_SIZE):
            stored = DataReturn.objects.filter(
                period=period, district_id__in=district_ids[start : start + BATCH_SIZE]
            ).values_list("district_id", "pk", "status")
            for district_id, pk, stored_status in stored:
                existing[(district_id, period)] = (pk, stored_status)
    missing = sorted(pair for pair in pairs if pair not in existing)
    moving = sorted(
        pk
        for pair, (pk, stored_status) in existing.items()
        if stored_status != status or pair in written_pairs
    )
    # Every return gets the same fields, so one UPDATE per batch of ids does what bulk_update
    # would with a CASE per field and id (which costs Django milliseconds a row).
    moved: dict[str, Any] = {"status": status}
    if status == ReturnStatus.SUBMITTED:
        moved |= {"submitted_at": settings.now, "submitted_by": settings.user}
    elif status == ReturnStatus.APPROVED:
        moved |= {"reviewed_at": settings.now, "reviewed_by": settings.user, "reason": ""}
    first_submitted = settings.now if status == ReturnStatus.SUBMITTED else None
    created = DataReturn.objects.bulk_create(
        [
            DataReturn(
                district_id=district_id,
                period=period,
                first_submitted_at=first_submitted,
                **moved,
            )
            for district_id, period in missing
        ],
        batch_size=BATCH_SIZE,
    )
    if first_submitted is not None:
        moved["first_submitted_at"] = Coalesce("first_submitted_at", Value(first_submitted))
    for start in range(0, len(moving), BATCH_SIZE):
        DataReturn.objects.filter(pk__in=moving[start : start + BATCH_SIZE]).update(**moved)
    history = {
        "user_id": None if settings.user is None else settings.user.pk,
        "date": settings.now,
        "reason": settings.reason,
        "batch_size": BATCH_SIZE,
    }
    history_copy(DataReturn, [r.pk for r in created], history_type="+", **history)
    history_copy(DataReturn, moving, history_type="~", **history)
