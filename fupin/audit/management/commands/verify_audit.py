from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.audit.actions import verify_chain

REASONS = {
    "missing": gettext_lazy("row %(id)s is missing (deleted)"),
    "relinked": gettext_lazy("row %(id)s does not link to the row before it"),
    "altered": gettext_lazy("row %(id)s was altered after it was written"),
    "truncated": gettext_lazy("rows from %(id)s on were removed from the end"),
}


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain and report the first broken link."

    def handle(self, *args, **options):
        report = verify_chain()
        if report.ok:
            self.stdout.write(_("Audit trail intact: %(n)s events checked.") % {"n": report.checked})
            return
        reason = str(REASONS[report.reason]) % {"id": report.broken_at}
        raise CommandError(
            _("Audit trail broken at event %(id)s: %(reason)s (%(n)s events before it are intact).")
            % {"id": report.broken_at, "reason": reason, "n": report.checked}
        )
