from django.core.management.base import BaseCommand

from fupin.procedures.demo import seed


class Command(BaseCommand):
    help = (
        "Demo procedures in the demo county: village population, an identification batch at its notice, an exit batch."
    )

    def handle(self, *args, **options):
        self.stdout.write(seed())
