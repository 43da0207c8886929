"""Rectification items follow publishing without the publishing code knowing about meetings.

A new publication's standings are stored later in the same transaction as the publication
row, so the items are made once that transaction commits (when the yellow flags are there
to read), and never for a publication rolled back.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from rankings.models import Publication


@receiver(post_save, sender=Publication, dispatch_uid="meetings.rectification_after_publishing")
def rectification_after_publishing(sender, instance: Publication, created: bool, **kwargs) -> None:
    if not created or kwargs.get("raw"):
        return
    from meetings.services.rectification import rectification_items_from_publication

    pk = instance.pk

    def make_items() -> None:
        publication = Publication.objects.filter(pk=pk).first()
        if publication is not None:
            rectification_items_from_publication(publication=publication)

    transaction.on_commit(make_items)
