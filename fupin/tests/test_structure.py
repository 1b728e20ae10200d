"""The structure the layers contract cannot see: one permission-and-region check, one parser of
`?region=`, no transaction opened by a view. Each test reads the source, so a copy written by hand
again fails here with its file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [p for p in ROOT.rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts]


def _lines_matching(pattern: str, files) -> list[str]:
    found = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(pattern, line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


def test_it_checks_permission_and_region_only_in_access():
    # "has this permission and the region is inside the user's area" is access.require / allowed
    outside = [p for p in SOURCES if p.name != "access.py"]
    assert _lines_matching(r"has_perm\(.*covers\(|covers\(.*has_perm\(", outside) == []


def test_it_reads_the_region_parameter_only_in_access():
    outside = [p for p in SOURCES if p.name != "access.py"]
    assert _lines_matching(r"""(GET|POST)\.get\(\s*["']region["']""", outside) == []


@pytest.mark.parametrize("pattern", [r"transaction\.atomic", r"\.version\s*\+=", r"\.enqueue\("])
def test_it_keeps_business_steps_out_of_views(pattern):
    views = [p for p in SOURCES if p.name.endswith("views.py")]
    assert _lines_matching(pattern, views) == []


TEMPLATES = list((ROOT / "templates").rglob("*.html"))


def test_templates_carry_no_inline_script():
    # The Content-Security-Policy refuses inline script: handlers go to fupin.js by data attribute.
    assert not _lines_matching(r"\son[a-z]+=[\"']", TEMPLATES)
    assert not _lines_matching(r"<script(?![^>]*\ssrc=)", TEMPLATES)
    assert not _lines_matching(r"javascript:", TEMPLATES)
