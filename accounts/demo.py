"""Demo accounts; usernames are stable and documented in README."""

from django.db import transaction

from accounts import services
from accounts.models import Role, User
from org.models import OrgUnit

DEMO_ACCOUNTS = [
    ("admin", "superuser: everything, including Django admin"),
    ("staff_vinhlong", "province staff, Tỉnh đoàn Vĩnh Long (with Bến Tre and Trà Vinh merged in)"),
    ("staff_thanhhoa", "province staff, Tỉnh đoàn Thanh Hóa"),
    ("leader_an_hoi", "unit leader, Đoàn phường An Hội (Vĩnh Long)"),
    ("viewer_central", "read-only, the whole country"),
]

# username -> (first name, last name, role, unit code); names are invented.
_ROLES = {
    "staff_vinhlong": ("Ngọc Anh", "Trần", Role.PROVINCE_STAFF, "86"),
    "staff_thanhhoa": ("Văn Minh", "Lê", Role.PROVINCE_STAFF, "38"),
    "leader_an_hoi": ("Thị Hồng", "Nguyễn", Role.UNIT_LEADER, "28777"),
    "viewer_central": ("Quốc Bảo", "Phạm", Role.VIEWER, "TW"),
}


@transaction.atomic
def seed(*, password: str) -> str:
    created = 0
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@doan-cds.local", password)
        created += 1
    for username, (first, last, role, code) in _ROLES.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username, first_name=first, last_name=last, email=f"{username}@doan-cds.local"
            )
            user.set_password(password)
            user.save()
            created += 1
        services.role_assign(user=user, role=role, org_unit=OrgUnit.objects.get(code=code))
    return f"{len(DEMO_ACCOUNTS)} demo accounts ({created} new)"
