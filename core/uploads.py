"""Uploads: allow-listed types checked by content, size limits, random storage names.

Files are stored under random names and served only through views that check scope
(`protected_download`); MEDIA_URL is not served at all.
"""

import pathlib
import uuid
import zipfile

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024

# Leading bytes of each allowed type: the client's name and Content-Type are not trusted.
_SIGNATURES = {
    "pdf": [b"%PDF-"],
    "png": [b"\x89PNG\r\n\x1a\n"],
    "jpeg": [b"\xff\xd8\xff"],
    "xlsx": [b"PK\x03\x04"],
}
EXTENSIONS = {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg", "xlsx": ".xlsx"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# Zip-bomb guards for XLSX (a workbook is a zip archive).
XLSX_MAX_ENTRIES = 2000
XLSX_MAX_UNCOMPRESSED = 100 * MB


def sniff(uploaded) -> str | None:
    """The allowed type the file's content is, or None."""
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(position)
    for kind, signatures in _SIGNATURES.items():
        if any(head.startswith(sig) for sig in signatures):
            return kind
    return None


def check_xlsx_archive(uploaded) -> None:
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            entries = archive.infolist()
            if len(entries) > XLSX_MAX_ENTRIES:
                raise ValidationError(_("The workbook has too many parts to be a normal Excel file."))
            if sum(e.file_size for e in entries) > XLSX_MAX_UNCOMPRESSED:
                raise ValidationError(_("The workbook is too large once unpacked."))
            if "[Content_Types].xml" not in archive.namelist():
                raise ValidationError(_("The file is not an Excel workbook (.xlsx)."))
    except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError) as exc:
        # A damaged directory can also claim a zip version or compression Python does not know.
        raise ValidationError(_("The file is not an Excel workbook (.xlsx).")) from exc
    finally:
        uploaded.seek(0)


@deconstructible
class FileTypeValidator:
    """Accept only files whose content is one of ``kinds`` and at most ``max_mb`` megabytes."""

    def __init__(self, kinds: tuple[str, ...], max_mb: int):
        self.kinds = tuple(kinds)
        self.max_mb = max_mb

    def __call__(self, uploaded) -> None:
        if uploaded.size > self.max_mb * MB:
            raise ValidationError(
                _("The file is %(size).1f MB; the limit is %(limit)d MB."),
                params={"size": uploaded.size / MB, "limit": self.max_mb},
                code="file_too_large",
            )
        kind = sniff(uploaded)
        if kind not in self.kinds:
            allowed = ", ".join(k.upper() for k in self.kinds)
            raise ValidationError(
                _("This file type is not accepted; allowed: %(allowed)s."),
                params={"allowed": allowed},
                code="file_type",
            )
        if kind == "xlsx":
            check_xlsx_archive(uploaded)

    def __eq__(self, other):
        return isinstance(other, FileTypeValidator) and (self.kinds, self.max_mb) == (
            other.kinds,
            other.max_mb,
        )


@deconstructible
class RandomName:
    """upload_to that stores a file as ``<folder>/<uuid><ext>``: names never leak or collide."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        extension = pathlib.Path(filename).suffix.lower()[:8]
        return f"{self.folder}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and self.folder == other.folder


def protected_download(field_file, download_name: str) -> FileResponse:
    """Serve a stored file as an attachment; the caller has already checked scope."""
    kind = sniff(field_file.open("rb"))
    field_file.seek(0)
    response = FileResponse(
        field_file,
        as_attachment=True,
        filename=download_name,
        content_type=CONTENT_TYPES.get(kind or "", "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
