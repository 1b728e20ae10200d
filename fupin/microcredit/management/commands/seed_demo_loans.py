from django.core.management.base import BaseCommand

from fupin.microcredit.demo import seed


class Command(BaseCommand):
    help = "Demo microcredit in the demo county: loans to eligible households, repaid, due, overdue and extended."

    def handle(self, *args, **options):
        self.stdout.write(seed())
