import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def _django_setup(env_overrides: dict) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env_overrides})
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_secret_key_and_hosts():
    result = _django_setup({"DEBUG": "0"})

    assert result.returncode != 0
    assert "Set SECRET_KEY and ALLOWED_HOSTS" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _django_setup({"DEBUG": "0", "SECRET_KEY": "x" * 60})

    assert result.returncode != 0
    assert "Set ALLOWED_HOSTS" in result.stderr


def test_production_starts_with_both_and_debug_is_off_by_default():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **{k: v for k, v in os.environ.items() if k != "DEBUG"},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "portal.example.vn",
        },
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_development_defaults_need_nothing():
    result = _django_setup({"DEBUG": "1"})

    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_vietnamese_is_the_default_even_for_an_english_browser(client):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response["Content-Language"] == "vi"
    assert "Đăng nhập" in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_changes_to_english_and_back(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    english = client.get(reverse("account_login"))
    client.post(reverse("set_language"), {"language": "vi", "next": "/accounts/login/"})
    vietnamese = client.get(reverse("account_login"))

    assert english["Content-Language"] == "en" and "Sign in to the portal" in english.content.decode()
    assert vietnamese["Content-Language"] == "vi"


def test_dates_typed_as_dd_mm_yyyy_mean_day_first():
    from django import forms
    from django.utils import translation

    class DayForm(forms.Form):
        day = forms.DateField()

    for language in ("vi", "en"):
        with translation.override(language):
            form = DayForm({"day": "05/03/2026"})
            assert form.is_valid(), form.errors
            assert (form.cleaned_data["day"].day, form.cleaned_data["day"].month) == (5, 3)


def test_dates_are_shown_as_dd_mm_yyyy():
    import datetime

    from django.template import Context, Template
    from django.utils import translation

    with translation.override("vi"):
        rendered = Template("{{ d|date:'SHORT_DATE_FORMAT' }}").render(
            Context({"d": datetime.date(2026, 3, 5)})
        )

    assert rendered == "05/03/2026"


@pytest.mark.django_db
def test_public_sign_up_is_closed(client):
    response = client.post(
        reverse("account_signup"), {"username": "intruder", "password1": "x" * 14, "password2": "x" * 14}
    )

    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="intruder").exists()
    assert response.status_code == 200
    assert "Không mở đăng ký" in response.content.decode() or "không mở đăng ký" in response.content.decode()


def test_time_zone_is_vietnam(settings):
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.USE_TZ
