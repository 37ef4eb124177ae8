"""One place for templates: the project's templates/<app>/ (CONTRIBUTING.md, "Where code goes")."""

from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]


def test_no_app_of_the_project_keeps_its_own_templates():
    # An app of ours is a folder at the top of the repository; .venv's site-packages may sit under it too.
    ours = [a for a in apps.get_app_configs() if Path(a.path).resolve().parent == ROOT]
    assert len(ours) > 5, "the scan finds the project's apps"
    assert [a.label for a in ours if (Path(a.path) / "templates").exists()] == []
