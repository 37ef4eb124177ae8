"""Vietnamese is the default language: every catalogue is complete and they never disagree.

Django merges catalogues (the project's first, then apps in INSTALLED_APPS order), so one English
msgid translated two ways would silently show the wrong word on some page.
"""

import collections
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(
    p for p in ROOT.glob("*/**/locale/vi/LC_MESSAGES/django.po") if ".venv" not in p.parts
) + [ROOT / "locale/vi/LC_MESSAGES/django.po"]


def test_every_catalogue_is_fully_translated():
    missing = [
        f"{path.relative_to(ROOT)}: {entry.msgid!r}"
        for path in CATALOGUES
        for entry in polib.pofile(str(path))
        if entry.msgid and ("fuzzy" in entry.flags or not (entry.msgstr or any(entry.msgstr_plural.values())))
    ]

    assert missing == []


def test_one_msgid_has_one_translation_across_catalogues():
    seen = collections.defaultdict(dict)
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            if entry.msgstr:
                seen[(entry.msgctxt, entry.msgid)][str(path.relative_to(ROOT))] = entry.msgstr

    divergent = {key: where for key, where in seen.items() if len(set(where.values())) > 1}
    assert divergent == {}
