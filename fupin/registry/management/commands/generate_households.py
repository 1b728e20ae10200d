from django.core.management.base import BaseCommand, CommandError

from fupin.accounts.models import User
from fupin.registry.generator import Generator
from fupin.registry.imports import load


class Command(BaseCommand):
    help = "Make realistic synthetic households in a county's real villages (valid ID numbers; same seed, same data)."

    def add_arguments(self, parser):
        parser.add_argument("--county", required=True, help="6-digit county code, e.g. 411723")
        parser.add_argument("--households", type=int, required=True)
        parser.add_argument("--user", default="admin", help="the user the records are attributed to (default: admin)")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--chunk", type=int, default=20000, help="households per transaction")

    def handle(self, *args, county, households, user, seed, chunk, **options):
        by = User.objects.filter(username=user, is_active=True).first()
        if by is None:
            raise CommandError(f"no active user {user!r}")
        try:
            generator = Generator(county, seed=seed)
        except ValueError as e:
            raise CommandError(str(e)) from e
        totals: dict[str, int] = {}
        done = 0
        while done < households:
            batch = min(chunk, households - done)
            rows = [row for _ in range(batch) for row in generator.household()]
            # the history's reason is read by users: what the records are, not how they were made
            errors, summary = load(rows, by, reason="演示数据（系统生成）")
            if any(errors):
                first = next((i, e) for i, e in enumerate(errors) if e)
                raise CommandError(f"generated row {first[0]} is invalid: {first[1]}")
            for key, value in summary.items():
                totals[key] = totals.get(key, 0) + value
            done += batch
            self.stdout.write(f"  {done}/{households} households")
        self.stdout.write(
            "created {households_created} households and {members_created} members; "
            "{households_updated} households updated, {unchanged} unchanged".format(**totals)
        )
