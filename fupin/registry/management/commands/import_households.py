import datetime as dt
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from fupin.accounts.models import User
from fupin.transfer import pipeline
from fupin.transfer.spec import get_spec

# From the shell an administrator migrates: the statuses the file gives are kept.
FORMATS = {"template": "households_migration", "national": "households_national"}


class Command(BaseCommand):
    help = "Import households from our template or the national system's person list, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", choices=FORMATS, default="template")
        parser.add_argument(
            "--user", required=True, help="a county operator: whose jurisdiction and name the import runs under"
        )
        parser.add_argument(
            "--data-date",
            type=dt.date.fromisoformat,
            help="YYYY-MM-DD: the day the national system's list describes (required with --format national)",
        )
        parser.add_argument("--dry-run", action="store_true", help="check every row and report; write nothing")
        parser.add_argument("--report", help="write the error report (.xlsx) here")

    def handle(self, *args, file, format, user, data_date, dry_run, report, **options):
        by = User.objects.filter(username=user, is_active=True).first()
        if by is None:
            raise CommandError(f"no active user {user!r}")
        path = Path(file)
        try:
            batch = pipeline.stage(
                spec=get_spec(FORMATS[format]),
                filename=path.name,
                content=path.read_bytes(),
                by=by,
                data_date=data_date,
            )
        except ValidationError as e:
            raise CommandError("；".join(e.messages)) from e
        except PermissionDenied as e:
            raise CommandError(f"{user!r} may not import this format (a migration needs a county operator)") from e
        self.stdout.write(f"{batch.row_count} rows read; {batch.error_count} with errors")
        for message in batch.file_errors:
            self.stdout.write(f"  {message}")
        for row in batch.rows.exclude(errors={}).order_by("row_no")[:200]:
            self.stdout.write(f"  row {row.row_no}: " + "；".join(f"{k}：{v}" for k, v in row.errors.items()))
        if report:
            Path(report).write_bytes(pipeline.error_report(batch, reveal=True))
        if batch.status != batch.Status.VALIDATED:
            raise CommandError("nothing was imported: fix the errors above and import again")
        if dry_run:
            self.stdout.write("dry run: nothing was written")
            return
        summary = pipeline.commit(batch=batch, by=by)
        self.stdout.write(
            "households created {households_created}, updated {households_updated}, unchanged {unchanged}; "
            "members created {members_created}, updated {members_updated}".format(**summary)
        )
