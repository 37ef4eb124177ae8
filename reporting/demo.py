"""Demo reporting: Đoàn phường An Hội has sent its last month of logged sessions for approval, so
staff_vinhlong finds one unit waiting on /sign-off/. Seeded here, after volunteers and egov_support:
a submitted month locks its figures, so it is sent once the sessions and activities it covers exist.
Only submitted, never approved: staff approve it in the demo themselves."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from org.models import OrgUnit
from signoff.models import MonthSignoff
from signoff.selectors import last_ended_month
from signoff.services import month_submit

# The demo's help sessions (egov_support.demo, fixed dates) end on 31/10/2026: a later month would be
# sent empty while its note says every session is logged.
LAST_MONTH_WITH_SESSIONS = datetime.date(2026, 10, 1)


def seed(*, password: str) -> str:
    unit = OrgUnit.objects.filter(code="28777").first()
    leader = get_user_model().objects.filter(username="leader_an_hoi").first()
    if unit is None or leader is None:
        return "no sign-off (An Hội or its leader missing)"
    month = min(last_ended_month(timezone.localdate()), LAST_MONTH_WITH_SESSIONS)
    if MonthSignoff.objects.filter(org_unit=unit, month=month).exists():
        return "sign-off already there"
    month_submit(by=leader, org_unit=unit, month=month, note="Đã ghi nhận đủ buổi hỗ trợ trong tháng.")
    return f"An Hội sent {month:%m/%Y} for approval"
