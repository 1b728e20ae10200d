from django.core.management.base import BaseCommand

from fupin.crosscheck.demo import seed


class Command(BaseCommand):
    help = "Department lists for the demo county, loaded and compared, with findings waiting to be verified."

    def handle(self, *args, **options):
        self.stdout.write(seed())
