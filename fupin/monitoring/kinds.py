"""The monitoring code lists (domain.md §2.7, §4.2): data, installed with the national defaults and
edited by administrators like the register's own lists."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fupin.codes.catalogue import register_kind

CATEGORY = register_kind(
    "monitoring_category",
    _("monitored household category"),
    [("1", "脱贫不稳定户"), ("2", "边缘易致贫户"), ("3", "突发严重困难户")],
)
# Codes as the 2023 system used them (domain.md §2.7, unverified against an official dictionary); the
# disaster subtypes are codes of their own (0201–0299), and the two local additions follow 09.
RISK_TYPE = register_kind(
    "risk_type",
    _("risk type"),
    [
        ("01", "因病"),
        ("0201", "因自然灾害（洪涝）"),
        ("0202", "因自然灾害（地质）"),
        ("0203", "因自然灾害（旱灾）"),
        ("0204", "因自然灾害（生物）"),
        ("0205", "因自然灾害（气象）"),
        ("0206", "因自然灾害（地震）"),
        ("0299", "因自然灾害（其他）"),
        ("03", "因残"),
        ("04", "缺劳动力"),
        ("05", "因意外事故"),
        ("06", "因产业失败"),
        ("07", "因务工就业不稳"),
        ("09", "因学"),
        ("10", "住房出现安全问题"),
        ("11", "饮水出现问题"),
        ("99", "其他"),
    ],
)
MAX_RISKS = 5
