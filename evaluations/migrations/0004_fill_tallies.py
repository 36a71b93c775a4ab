"""Fill the tallies from the answers already stored: two set-based INSERT ... SELECT, a few seconds
at five million answers. The same statements as evaluations/tallies.py rebuild(), frozen here."""

from django.db import migrations

ANSWER_TALLIES = """
INSERT INTO evaluations_answertally (round_id, target_id, question_id, satisfied, basic, dissatisfied, unknown)
SELECT r.round_id, r.target_org_id, a.question_id,
       SUM(CASE WHEN a.rating = 'satisfied' THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.rating = 'basic' THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.rating = 'dissatisfied' THEN 1 ELSE 0 END),
       SUM(CASE WHEN a.rating = 'unknown' THEN 1 ELSE 0 END)
FROM evaluations_answer a JOIN evaluations_response r ON r.id = a.response_id
GROUP BY r.round_id, r.target_org_id, a.question_id
"""

TARGET_TALLIES = """
INSERT INTO evaluations_targettally
    (round_id, target_id, responses, comments, satisfied, basic, dissatisfied, unknown)
SELECT round_id, target_id, SUM(responses), SUM(comments), SUM(satisfied), SUM(basic), SUM(dissatisfied), SUM(unknown)
FROM (
    SELECT round_id, target_org_id AS target_id, COUNT(*) AS responses,
           SUM(CASE WHEN comment <> '' THEN 1 ELSE 0 END) AS comments,
           0 AS satisfied, 0 AS basic, 0 AS dissatisfied, 0 AS unknown
    FROM evaluations_response GROUP BY round_id, target_org_id
    UNION ALL
    SELECT round_id, target_id, 0, 0, SUM(satisfied), SUM(basic), SUM(dissatisfied), SUM(unknown)
    FROM evaluations_answertally GROUP BY round_id, target_id
) parts
GROUP BY round_id, target_id
"""

EMPTY = ["DELETE FROM evaluations_targettally", "DELETE FROM evaluations_answertally"]


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0003_tallies")]

    operations = [
        migrations.RunSQL(EMPTY, reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(ANSWER_TALLIES, reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(TARGET_TALLIES, reverse_sql=EMPTY),
    ]
