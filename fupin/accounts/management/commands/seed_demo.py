from django.core.management.base import BaseCommand, CommandError

from fupin.accounts.demo import DEMO_PASSWORD, DemoDataError, create_demo_data


class Command(BaseCommand):
    help = "Create the demo county's users (平舆县 411723), one or more of every role, with a known password."

    def handle(self, *args, **options):
        try:
            users = create_demo_data()
        except DemoDataError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(f"\nDemo users (password for all: {DEMO_PASSWORD}; each must change it at first login):")
        for user, _demo in users:
            region = user.region.full_name() if user.region_id else "全国"
            self.stdout.write(f"  {user.username:<20} {user.get_role_display():<12} {region}")
