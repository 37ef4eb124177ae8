"""Usernames are one identity whatever their case and surrounding spaces (issue #17).

Existing usernames are folded (NFKC, trimmed, lower case) before the unique constraint on the folded
form is added. Two accounts that fold to the same name cannot both keep it: the migration stops and
names them, so an administrator decides which one is renamed (nobody's sign-in changes silently).
"""

import unicodedata

import django.db.models.functions.text
from django.db import migrations, models

import accounts.models


def _fold(value):
    return unicodedata.normalize("NFKC", value or "").strip().lower()


def fold_usernames(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    folded = {}
    for pk, username in User.objects.order_by("pk").values_list("pk", "username"):
        folded.setdefault(_fold(username), []).append((pk, username))
    clashes = {name: rows for name, rows in folded.items() if len(rows) > 1}
    if clashes:
        listed = "; ".join(
            f"{name!r}: " + ", ".join(f"id {pk} {username!r}" for pk, username in rows)
            for name, rows in sorted(clashes.items())
        )
        raise RuntimeError(
            "These accounts differ only in case or spaces and would become one username; rename all "
            f"but one of each (Django admin or the shell), then migrate again: {listed}"
        )
    for name, [(pk, username)] in folded.items():
        if name != username:
            User.objects.filter(pk=pk).update(username=name)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(fold_usernames, migrations.RunPython.noop),
        migrations.AlterModelManagers(
            name="user",
            managers=[
                ("objects", accounts.models.UserManager()),
            ],
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("username"),
                name="user_username_folded_unique",
                violation_error_message="A user with that username already exists.",
            ),
        ),
    ]
