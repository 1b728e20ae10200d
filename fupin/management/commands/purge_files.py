from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from fupin.crosscheck import retention as department_lists
from fupin.jobs import retention as job_files
from fupin.transfer import retention as uploads


class Command(BaseCommand):
    help = (
        "Remove uploaded import files and jobs' result files older than FUPIN_UPLOAD_RETENTION_DAYS, and the "
        "rows of department lists past their retention (policy)."
    )

    def handle(self, *args, **options):
        batches, results = uploads.purge(), job_files.purge()
        self.stdout.write(
            _("Removed the files of %(batches)s imports and %(results)s job results older than %(days)s days.")
            % {"batches": batches, "results": results, "days": settings.FUPIN_UPLOAD_RETENTION_DAYS}
        )
        lists = department_lists.purge()
        self.stdout.write(_("Purged the rows of %(lists)s department lists past their retention.") % {"lists": lists})
