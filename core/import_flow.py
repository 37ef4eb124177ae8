"""The upload → preview → confirm flow of the spreadsheet imports (a team's roster, the official
statistics), in one place: the page checks the upload (a dry run of its import service) and shows
every bad row; a clean file is kept server-side under a random name, remembered in the user's
session by a one-time token, and the confirm step runs the same service again on that very file.

Each page keeps its own form, service, messages and redirects; this module only keeps the file.
"""

import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile


@dataclass(frozen=True)
class CheckedUpload:
    """A file checked at the preview, taken back at the confirm step (``extra``: what the page kept with it)."""

    file: SimpleUploadedFile
    extra: dict


class ImportFlow:
    """Where one import keeps its checked files: ``session_key`` in the user's session (one per page,
    e.g. per team), ``folder`` in the default storage."""

    def __init__(self, *, session_key: str, folder: str):
        self.session_key, self.folder = session_key, folder

    def keep(self, request, upload, *, name: str | None = None, **extra) -> str:
        """Keep a checked upload until it is confirmed; returns the token the confirm form posts."""
        token = uuid.uuid4().hex
        suffix = ".csv" if upload.name.lower().endswith(".csv") else ".xlsx"
        upload.seek(0)
        path = default_storage.save(f"{self.folder}/{token}{suffix}", ContentFile(upload.read()))
        pending = request.session.get(self.session_key) or {}
        pending[token] = {"path": path, "name": (name or upload.name)[:200], "extra": extra}
        request.session[self.session_key] = pending
        return token

    def take(self, request, token: str) -> CheckedUpload | None:
        """The file kept under ``token``, or None when there is none (expired, another user's, reused)."""
        stored = (request.session.get(self.session_key) or {}).get(token or "")
        if not stored or not default_storage.exists(stored["path"]):
            return None
        with default_storage.open(stored["path"], "rb") as handle:
            upload = SimpleUploadedFile(stored["name"], handle.read())
        return CheckedUpload(file=upload, extra=stored.get("extra") or {})

    def forget(self, request, token: str) -> None:
        """After a confirmed import: the file and its token go (a second confirm finds nothing)."""
        pending = request.session.get(self.session_key) or {}
        stored = pending.pop(token, None)
        if stored:
            default_storage.delete(stored["path"])
        request.session[self.session_key] = pending
