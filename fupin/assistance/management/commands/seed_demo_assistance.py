from django.core.management.base import BaseCommand

from fupin.assistance.demo import seed


class Command(BaseCommand):
    help = "Demo assistance in the demo county: a unit, two cadres (cadre1 logs in as one), pairings, plans, a visit."

    def handle(self, *args, **options):
        self.stdout.write(seed())
