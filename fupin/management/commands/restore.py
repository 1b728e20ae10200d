from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fupin import backup


class Command(BaseCommand):
    help = "Replace the database and the media folder with a backup's, then check them (stop the service first)."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="confirm: the current data is replaced")

    def handle(self, *args, **options):
        if not options["yes"]:
            raise CommandError("Restoring replaces all current data; run again with --yes to confirm.")
        try:
            manifest = backup.restore(Path(options["archive"]))
        except backup.BackupError as e:
            raise CommandError(str(e)) from e
        counts = ", ".join(f"{label} {n}" for label, n in manifest.counts.items())
        self.stdout.write(f"Restored the backup of {manifest.created_at}: {counts}; audit chain intact.")
