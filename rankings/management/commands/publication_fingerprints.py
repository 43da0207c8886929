"""python manage.py publication_fingerprints"""

from django.core.management.base import BaseCommand

from rankings.selectors.publications import publication_fingerprints


class Command(BaseCommand):
    help = (
        "Print one line per publication: race, period, revision, the fingerprint of its "
        "inputs and a SHA-256 of its standings. Two databases holding the same publications "
        "print the same lines, so a restore can be checked with diff."
    )

    def handle(self, *args, **options):
        for publication in publication_fingerprints():
            self.stdout.write(publication.line())
