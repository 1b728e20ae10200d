import io

from django.core.management import call_command

from fupin.registry import id_numbers
from fupin.registry.models import Household, Member
from fupin.test import COUNTY, BaseTestCase


class GeneratorTestCase(BaseTestCase):
    def test_it_makes_valid_households_in_real_villages_and_the_same_seed_changes_nothing(self):
        out = io.StringIO()
        call_command("generate_households", county=COUNTY, households=60, user="national", stdout=out)
        self.assertEqual(Household.objects.count(), 60)
        self.assertTrue(all(h.region_id.startswith(COUNTY) and len(h.region_id) == 12 for h in Household.objects.all()))
        members = Member.objects.count()
        self.assertGreater(members / 60, 2.3)
        self.assertLess(members / 60, 3.8)
        self.assertTrue(
            all(
                id_numbers.check(n, check_birthplace=False).ok
                for n in Member.objects.values_list("id_number", flat=True)
            )
        )
        self.assertEqual(Household.objects.filter(net_income_per_capita__isnull=True).count(), 0)
        call_command("generate_households", county=COUNTY, households=60, user="national", stdout=out)
        self.assertEqual(Household.objects.count(), 60)
        self.assertIn("60 unchanged", out.getvalue())
