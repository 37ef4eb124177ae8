"""Compile every .po catalogue to .mo with polib: no gettext tools needed on a fresh machine.

Catalogues whose .mo is newer than their .po are left alone (every `make run` calls this), and the
walk never enters .venv or .git (rglob read every file of the virtualenv: seconds on each run).
"""

import os
import pathlib
import sys

import polib

ROOT = pathlib.Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", ".git", "staticfiles", "media", "screenshots"}


def catalogues() -> list[pathlib.Path]:
    found = []
    for directory, subdirectories, files in os.walk(ROOT):
        subdirectories[:] = [name for name in subdirectories if name not in SKIP]
        path = pathlib.Path(directory)
        if path.name == "LC_MESSAGES" and path.parent.parent.name == "locale":
            found.extend(path / name for name in files if name.endswith(".po"))
    return sorted(found)


def main(argv: list[str]) -> int:
    force = "--force" in argv
    compiled = current = 0
    for po_path in catalogues():
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            current += 1
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        compiled += 1
    print(f"compiled {compiled} catalogue(s), {current} already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
