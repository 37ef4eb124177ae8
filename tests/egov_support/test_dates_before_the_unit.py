"""A session or a monthly figure dated before its unit existed is a typing error (issue 20): the
reform's communes exist from 01/07/2025, and what came before belongs to the units they replaced.
Refused by the services (pages, API, admin and imports go through them), the field named."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.models import DirtyMark
from egov_support import services
from egov_support.models import HelpSession, ServiceStatistic
from tests.egov_support.test_statistics_import import csv_upload

pytestmark = pytest.mark.django_db
D = datetime.date


def _session(egov, day):
    return {
        "team": egov.team_a,
        "location_kind": "one_stop_desk",
        "date": day,
        "start_time": datetime.time(7, 30),
        "end_time": datetime.time(11, 0),
        "lines": [{"service": egov.dvc, "citizens_assisted": 5, "dossiers_online": 2}],
    }


def test_a_session_before_its_commune_existed_is_refused_on_the_date(egov, personas):
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        services.help_session_create(by=personas.staff_a, **_session(egov, D(2025, 6, 30)))

    (message,) = caught.value.message_dict["date"]
    assert "Đoàn phường An Hội" in message and "01/07/2025" in message and "chỉ có từ ngày" in message
    assert not HelpSession.objects.exists() and not DirtyMark.objects.exists()
    # Its first day is fine; moving a session back before it is refused too.
    session = services.help_session_create(by=personas.staff_a, **_session(egov, D(2025, 7, 1)))
    with pytest.raises(ValidationError) as caught:
        services.help_session_update(by=personas.staff_a, session=session, date=D(2025, 5, 2))
    assert "date" in caught.value.message_dict
    assert HelpSession.objects.get().date == D(2025, 7, 1)


def test_a_statistic_before_its_unit_existed_is_refused_on_the_month(tree, personas):
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        services.service_statistic_save(
            by=personas.staff_a,
            org_unit=tree.commune_a,
            month=D(2025, 6, 1),
            dossiers_total=10,
            dossiers_online=4,
        )
    assert "01/07/2025" in caught.value.message_dict["month"][0]
    assert not ServiceStatistic.objects.exists()
    # The unit's first month is its own (a monthly figure for July 2025).
    services.service_statistic_save(
        by=personas.staff_a,
        org_unit=tree.commune_a,
        month=D(2025, 7, 1),
        dossiers_total=10,
        dossiers_online=4,
    )
    assert ServiceStatistic.objects.get().month == D(2025, 7, 1)


def test_the_statistics_import_names_the_row_and_writes_nothing(tree, personas):
    upload = csv_upload("28777,An Hội,07/2025,100,40,,tỉnh\n28777,An Hội,06/2025,90,30,,tỉnh\n")

    with translation.override("vi"):
        result = services.service_statistics_import(by=personas.staff_a, upload=upload, dry_run=False)

    assert not result.report.is_clean
    (error,) = result.report.errors
    assert (error.row, error.column) == (3, "Tháng") and "01/07/2025" in error.message
    assert not ServiceStatistic.objects.exists()
