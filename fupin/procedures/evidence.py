"""What an evidence file may be: its kind is read from its first bytes, not trusted from its name."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .models import EvidenceKind

MB = 1024 * 1024
MAX_BYTES = {EvidenceKind.PHOTO: 10 * MB, EvidenceKind.PDF: 20 * MB, EvidenceKind.VIDEO: 200 * MB}
CONTENT_TYPES = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
    "mp4": "video/mp4",
    "webm": "video/webm",
}
KIND_OF = {"jpeg": EvidenceKind.PHOTO, "png": EvidenceKind.PHOTO, "pdf": EvidenceKind.PDF}
KIND_OF |= {"mp4": EvidenceKind.VIDEO, "webm": EvidenceKind.VIDEO}
ACCEPT = ".jpg,.jpeg,.png,.pdf,.mp4,.mov,.webm"


def sniff(head: bytes) -> str | None:
    """The format of a file from its first bytes: jpeg, png, pdf, mp4 (also .mov), webm, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "webm"
    return None


def check(upload: UploadedFile) -> str:
    """The kind of an acceptable file; otherwise a ValidationError that says what is accepted."""
    if not upload.size:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": upload.name})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    fmt = sniff(head)
    if fmt is None:
        raise ValidationError(
            _("“%(name)s” is not a photo (JPEG, PNG), a PDF scan or a video (MP4, MOV, WebM).") % {"name": upload.name}
        )
    kind = KIND_OF[fmt]
    if upload.size > MAX_BYTES[kind]:
        raise ValidationError(
            _("“%(name)s” is %(size)s; a %(kind)s may be at most %(limit)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "kind": EvidenceKind(kind).label,
                "limit": filesizeformat(MAX_BYTES[kind]),
            }
        )
    return kind
