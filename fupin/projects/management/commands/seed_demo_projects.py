from django.core.management.base import BaseCommand

from fupin.projects.demo import seed


class Command(BaseCommand):
    help = "Demo projects in the demo county: three projects at different stages, their funds and linked households."

    def handle(self, *args, **options):
        self.stdout.write(seed())
