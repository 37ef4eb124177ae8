"""The one upload → preview → confirm keeper both imports use (core.import_flow)."""

from django.contrib.sessions.backends.db import SessionStore
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from core.import_flow import ImportFlow


def _request():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    return request


def test_a_checked_file_is_taken_back_once_with_what_the_page_kept(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    request = _request()
    roster = ImportFlow(session_key="roster-import-7", folder="roster-imports")
    upload = SimpleUploadedFile("Danh sách.xlsx", b"PK\x03\x04 the checked bytes")
    upload.read()  # the preview read it to the end

    token = roster.keep(request, upload, name="roster.xlsx", purpose="Liên hệ đội hình")
    checked = roster.take(request, token)

    assert checked.file.name == "roster.xlsx" and checked.file.read() == b"PK\x03\x04 the checked bytes"
    assert checked.extra == {"purpose": "Liên hệ đội hình"}
    # Another team's page (another key) and a made-up token find nothing.
    assert ImportFlow(session_key="roster-import-8", folder="roster-imports").take(request, token) is None
    assert roster.take(request, "0" * 32) is None
    path = request.session["roster-import-7"][token]["path"]
    roster.forget(request, token)
    assert roster.take(request, token) is None and not default_storage.exists(path)
