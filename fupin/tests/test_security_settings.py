"""Security defaults that are settings: HTTPS-only cookies and HSTS when served over HTTPS, private uploads."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

from django.conf import settings

from fupin.test import BaseTestCase
from fupin.transfer import pipeline
from fupin.transfer.spec import get_spec


def settings_with(**environ) -> dict:
    """Some settings as a fresh process computes them under these environment variables."""
    code = (
        "import json, fupin.settings as s; print(json.dumps({k: getattr(s, k) for k in "
        "('SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_PROXY_SSL_HEADER')}))"
    )
    env = {**os.environ, **environ}
    command = [sys.executable, "-c", code]  # our own code, in a fresh interpreter
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True)  # noqa: S603
    return json.loads(output.stdout)


def test_over_https_cookies_are_secure_and_browsers_are_told_to_keep_to_it():
    plain = settings_with(FUPIN_HTTPS="0", FUPIN_SECURE_COOKIES="0")
    assert (plain["SECURE_HSTS_SECONDS"], plain["SESSION_COOKIE_SECURE"]) == (0, False)
    https = settings_with(FUPIN_HTTPS="1", FUPIN_BEHIND_TLS_PROXY="1")
    assert https["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert https["SESSION_COOKIE_SECURE"] and https["CSRF_COOKIE_SECURE"]
    assert https["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


class PrivateUploadsTestCase(BaseTestCase):
    def test_an_uploaded_file_is_readable_by_the_service_alone(self):
        spec = get_spec("poor_designation")
        content = "区划代码,名称,是否贫困,认定年份,退出年份\n411723,平舆县,是,2011,2019\n".encode()
        batch = pipeline.receive(spec=spec, filename="名单.csv", content=content, by=self.county_operator)
        self.assertEqual(stat.S_IMODE(os.stat(batch.file.path).st_mode), 0o600)
        self.assertEqual(settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS, 0o700)


class ContentSecurityPolicyTestCase(BaseTestCase):
    def test_every_page_says_where_scripts_and_styles_may_come_from(self):
        for url in ("/accounts/login/", "/"):
            self.client.force_login(self.alice)
            policy = self.client.get(url)["Content-Security-Policy"]
            directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
            self.assertEqual(directives["script-src"], "'self'")  # no inline script, no other site
            self.assertEqual(directives["default-src"], "'self'")
            self.assertEqual(directives["frame-ancestors"], "'none'")
