from django.core.management.base import BaseCommand

from fupin.monitoring import demo_clues
from fupin.monitoring.demo import seed


class Command(BaseCommand):
    help = "Demo monitored households in the demo county, with risk types, eliminations and a year's spending."

    def handle(self, *args, **options):
        self.stdout.write(seed())
        self.stdout.write(demo_clues.seed())
        self.stdout.write(demo_clues.seed_elimination())
