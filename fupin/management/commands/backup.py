from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fupin import backup


class Command(BaseCommand):
    help = "Write the database and the media folder into one archive (see fupin/backup.py)."

    def add_arguments(self, parser):
        parser.add_argument("--to", default=str(Path(settings.VAR_DIR) / "backups"), help="folder for the archive")

    def handle(self, *args, **options):
        try:
            archive = backup.create(Path(options["to"]))
        except backup.BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(str(archive))
