"""Records made before ownership went by account (the demo's seeded records, which carry a scorer's name but no
account): each is given to the one scorer account of that name, so that account keeps seeing and managing them.
A name two scorer accounts share, or the office's name, is left alone: those records stay the office's to manage."""

from django.db import migrations

OFFICE_NAME = "市安委办"


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Profile = apps.get_model("accounts", "Profile")
    Finding = apps.get_model("findings", "Finding")
    NoFinding = apps.get_model("findings", "NoFinding")
    names: dict[str, list[int]] = {}
    for name, user_id in Profile.objects.filter(role="scorer").values_list("display_name", "user_id"):
        names.setdefault(name, []).append(user_id)
    for name, users in names.items():
        if len(users) != 1 or not name or name == OFFICE_NAME:
            continue
        for model in (Finding, NoFinding):
            model.objects.filter(scorer_name=name, entered_by__isnull=True).update(entered_by_id=users[0])


class Migration(migrations.Migration):
    dependencies = [
        ("findings", "0002_finding_clause_assignment_nofinding"),
        ("accounts", "0002_loginfailure"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
