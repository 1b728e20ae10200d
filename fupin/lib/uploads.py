"""Uploaded files (evidence of procedures, visit photos, marks' proof): what a file may be — its kind
read from its first bytes, not trusted from its name (serving one back is `fupin.audit.files`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class FileKind(models.TextChoices):
    PHOTO = "photo", gettext_lazy("photo")
    PDF = "pdf", gettext_lazy("PDF scan")
    VIDEO = "video", gettext_lazy("video")


MB = 1024 * 1024
MAX_BYTES = {FileKind.PHOTO: 10 * MB, FileKind.PDF: 20 * MB, FileKind.VIDEO: 200 * MB}
CONTENT_TYPES = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
    "mp4": "video/mp4",
    "webm": "video/webm",
}
KIND_OF = {"jpeg": FileKind.PHOTO, "png": FileKind.PHOTO, "pdf": FileKind.PDF}
KIND_OF |= {"mp4": FileKind.VIDEO, "webm": FileKind.VIDEO}
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
                "kind": FileKind(kind).label,
                "limit": filesizeformat(MAX_BYTES[kind]),
            }
        )
    return kind


MAX_PHOTOS = 6


def check_photos(photos) -> None:
    """Photos of one record (a visit, a notice's posting): at most MAX_PHOTOS, each a photo."""
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(n)s photos at a time.") % {"n": MAX_PHOTOS}})
    for photo in photos:
        if check(photo) != FileKind.PHOTO:
            raise ValidationError({"photos": _("“%(name)s” is not a photo.") % {"name": photo.name}})


class Photo(models.Model):
    """A photo kept with a record (a visit, a notice's posting). A concrete photo model adds the record
    it belongs to and its `file` field (each has its own folder), and saves uploads with `attach`."""

    original_name = models.CharField(max_length=200)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name

    @classmethod
    def attach(cls, photos: list[UploadedFile], **owner) -> list[Photo]:
        """Keep each uploaded photo (checked beforehand with `check_photos`) with `owner`."""
        kept = []
        for photo in photos:
            item = cls(original_name=photo.name[:200], **owner)
            item.file.save(photo.name, photo, save=False)
            item.save()
            kept.append(item)
        return kept
