from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.audit.actions import parse_head, verify_chain

REASONS = {
    "missing": gettext_lazy("row %(id)s is missing (deleted)"),
    "relinked": gettext_lazy("row %(id)s does not link to the row before it"),
    "altered": gettext_lazy("row %(id)s was altered after it was written"),
    "truncated": gettext_lazy("rows from %(id)s on were removed from the end"),
    "unkeyed": gettext_lazy(
        "row %(id)s, the newest, is not sealed with the audit key: the trail was re-hashed without it"
    ),
    "head_differs": gettext_lazy("row %(id)s is not the one the exported head recorded"),
}


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain and report the first broken link."

    def add_arguments(self, parser):
        parser.add_argument(
            "--head",
            help="a head exported earlier (N:HASH, or the exported file): the trail must still hold it",
        )

    def handle(self, *args, head=None, **options):
        exported = None
        if head:
            text = Path(head).read_text(encoding="utf-8") if Path(head).is_file() else head
            exported = parse_head(text)
            if exported is None:
                raise CommandError(_("Not an exported chain head: %(value)s") % {"value": head[:80]})
        report = verify_chain(exported_head=exported)
        if report.ok:
            self.stdout.write(_("Audit trail intact: %(n)s events checked.") % {"n": report.checked})
            if exported:
                self.stdout.write(
                    _("The exported head (event %(id)s) is in the trail, unchanged.") % {"id": exported[0]}
                )
            return
        reason = str(REASONS[report.reason]) % {"id": report.broken_at}
        raise CommandError(
            _("Audit trail broken at event %(id)s: %(reason)s (%(n)s events before it are intact).")
            % {"id": report.broken_at, "reason": reason, "n": report.checked}
        )
