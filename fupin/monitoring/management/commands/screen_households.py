"""The monthly system screening (a systemd timer or cron runs it): the same work as the button on the
clue list, for the region of the user named (a county's or a city's operator)."""

from django.core.management.base import BaseCommand, CommandError

from fupin.access import region_prefix
from fupin.accounts.models import User
from fupin.monitoring import screening


class Command(BaseCommand):
    help = "Screen the households of a user's region for risks and raise a clue for each one found."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="the operator the clues are raised as")

    def handle(self, *args, user, **options):
        by = User.objects.filter(username=user, is_active=True).first()
        if by is None or not screening.may_run(by):
            raise CommandError(f"{user}: no active county (or higher) operator of that name")
        counts = screening.screen(by=by, region_code=region_prefix(by) or "")
        self.stdout.write(", ".join(f"{key} {value}" for key, value in counts.items() if key != "skipped"))
        for note in counts["skipped"]:
            self.stdout.write(f"skipped: {note}")
