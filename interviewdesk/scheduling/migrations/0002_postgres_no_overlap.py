"""On PostgreSQL, exclusion constraints make double bookings impossible even when two
requests pass the service's conflict check at the same moment. SQLite relies on the
service check alone (it serialises writers anyway)."""

from django.db import migrations

ACTIVE = "status IN ('planned', 'invited', 'confirmed')"
CONSTRAINTS = {
    "appointment_candidate_no_overlap": f"(candidate_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE ({ACTIVE})",
    "appointment_room_no_overlap": f"(room_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE ({ACTIVE} AND room_id IS NOT NULL)",
    "appointment_jury_no_overlap": f"(jury_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE ({ACTIVE} AND jury_id IS NOT NULL)",
    # A proctor may hold several connection tests at once (a group test), never two sessions.
    "appointment_proctor_no_overlap": (
        f"(proctor_id WITH =, tstzrange(starts_at, ends_at) WITH &&) "
        f"WHERE ({ACTIVE} AND proctor_id IS NOT NULL AND kind <> 'connection_test')"
    ),
}


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for name, body in CONSTRAINTS.items():
        schema_editor.execute(f"ALTER TABLE scheduling_appointment ADD CONSTRAINT {name} EXCLUDE USING gist {body}")


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE scheduling_appointment DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
