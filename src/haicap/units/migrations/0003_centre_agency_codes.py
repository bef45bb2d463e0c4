"""Service centre codes in the Decision 20/2020 style (``01.00004`` → ``H01.00004``).

A commune's centre and a provincial centre that kept their derived code take their unit's
agency code (``H01.00004``, ``H01.TT``); any other code of the old form gains the ``H``.
Dossier codes already issued keep the code they were issued with.
"""

from django.db import migrations

FOLLOW_UNITS = """
UPDATE units_servicecenter c
SET code = CASE WHEN c.kind = 'provincial' THEN coalesce(nullif(u.agency_code, ''), 'H' || u.code) || '.TT'
                ELSE coalesce(nullif(u.agency_code, ''), 'H' || p.code || '.' || u.code) END
FROM units_adminunit u, units_adminunit p
WHERE u.id = c.unit_id AND p.id = coalesce(u.province_id, u.id)
  AND ((c.kind = 'provincial' AND c.code = u.code || '.TT')
       OR (c.kind = 'commune' AND c.code = p.code || '.' || u.code))
"""

PREFIX_REST = """
UPDATE units_servicecenter c SET code = 'H' || c.code
WHERE c.code ~ '^[0-9]{2}\\.'
  AND NOT EXISTS (SELECT 1 FROM units_servicecenter x WHERE x.code = 'H' || c.code)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0002_agency_code"),
    ]

    operations = [
        migrations.RunSQL(FOLLOW_UNITS, migrations.RunSQL.noop),
        migrations.RunSQL(PREFIX_REST, migrations.RunSQL.noop),
    ]
