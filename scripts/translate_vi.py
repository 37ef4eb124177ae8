"""Fill msgstr in a Vietnamese catalogue from a {msgid: msgstr} table (used while writing catalogues).

    python scripts/translate_vi.py locale/vi/LC_MESSAGES/django.po table.py
Entries already translated are kept; the script prints what is still untranslated.
"""

import runpy
import sys

import polib


def main(po_path: str, table_path: str) -> int:
    table = runpy.run_path(table_path)["VI"]
    catalogue = polib.pofile(po_path)
    catalogue.metadata["Language"] = "vi"
    catalogue.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    catalogue.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    for entry in catalogue:
        value = table.get(entry.msgid)
        if value is None:
            continue
        fuzzy = "fuzzy" in entry.flags  # makemessages' guess from a similar msgid: replace it
        if entry.msgid_plural:
            entry.msgstr_plural = {0: value}
        elif not entry.msgstr or fuzzy:
            entry.msgstr = value
        if fuzzy:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = None
    catalogue.save()
    missing = [
        e.msgid for e in catalogue if "fuzzy" in e.flags or not (e.msgstr or any(e.msgstr_plural.values()))
    ]
    for msgid in missing:
        print("untranslated:", msgid)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
