"""How the application's connections to PostgreSQL are set up."""

from unittest import skipUnless

from django.db import connection
from django.test import TestCase


@skipUnless(connection.vendor == "postgresql", "a PostgreSQL setting")
class ConnectionTestCase(TestCase):
    def test_queries_are_not_jit_compiled(self):
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            self.assertEqual(cursor.fetchone()[0], "off")
