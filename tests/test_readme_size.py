"""README stays a short front page: details go to CONTRIBUTING.md and docs/."""

from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_stays_under_14000_bytes():
    assert len(README.read_bytes()) < 14_000
