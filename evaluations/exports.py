"""A round's results as XLSX: by organization and item, by item, the comments not hidden, every answer sheet
(small rounds). The counts come from the tallies (evaluations/stats.py), not from the answers.

Cells go through imports.exports.neutralize, so a comment starting with "=" stays text in Excel.
"""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from imports.exports import append_sheet

from .models import Answer, Rating, Response
from .stats import every_org

# Past this many answer sheets the sheet-by-sheet tab is left out: it is the one part of the workbook
# that must read every answer, and Excel stops at 1,048,576 rows anyway. The counts are all there.
ANSWER_SHEETS_MAX = 20_000


def results_xlsx(round_, results) -> bytes:
    workbook = Workbook(write_only=True)
    labels = [str(label) for label in Rating.labels]
    count_heads = [_("Responses"), *labels, _("Satisfaction rate")]

    def org_rows():
        for row in every_org(round_):
            for question in results.questions:
                tally = row.cells.get(question.key)
                if tally is None:
                    continue
                yield [row.label, question.label, tally.total, *tally.counts(), tally.rate]
            yield [row.label, _("All items"), row.responses, *row.tally.counts(), row.tally.rate]

    append_sheet(
        workbook, _("By organization"), [_("Organization"), _("Item"), *count_heads], org_rows(), {0: 28, 1: 20}
    )
    question_rows = [[q.label, q.tally.total, *q.tally.counts(), q.tally.rate] for q in results.questions]
    question_rows.append([_("All items"), results.responses, *results.overall.counts(), results.overall.rate])
    append_sheet(workbook, _("By item"), [_("Item"), *count_heads], question_rows, {0: 24})

    comments = (
        Response.objects.filter(round=round_, comment_hidden=False)
        .exclude(comment="")
        .order_by("target_org__path", "created_on", "pk")
        .values_list("target_org__name", "created_on", "comment")  # a province's comments: no model objects
    )
    append_sheet(
        workbook,
        _("Comments"),
        [_("Organization"), _("Answered on"), _("Comment")],
        (list(c) for c in comments.iterator(chunk_size=2000)),
        {0: 28, 1: 12, 2: 90},
    )

    if results.responses <= ANSWER_SHEETS_MAX:
        _answer_sheets(workbook, round_)
    info = workbook.create_sheet(_("About")[:31])
    info.append([_("Round"), round_.title])
    info.append([_("Run by"), round_.owner.name])
    info.append([_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    if results.responses > ANSWER_SHEETS_MAX:
        info.append(
            [
                _("Answer sheets"),
                _("%(n)s answer sheets: too many to list one by one; the counts above include them all.")
                % {"n": f"{results.responses:,}"},
            ]
        )
    info.append(
        [
            _("Satisfaction rate"),
            _(
                "(satisfied + basically satisfied) ÷ (satisfied + basically satisfied + dissatisfied); "
                "“don't know” is left out."
            ),
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _answer_sheets(workbook, round_) -> None:
    """Every answer sheet, one row each (small rounds only, see ANSWER_SHEETS_MAX)."""
    questions = [q for q in round_.questions.order_by("position", "id") if q.kind == "rating"]
    rating_names = dict(Rating.choices)
    answers: dict = {}
    for response_id, question_id, rating in Answer.objects.filter(response__round=round_).values_list(
        "response_id", "question_id", "rating"
    ):
        answers.setdefault(response_id, {})[question_id] = str(rating_names.get(rating, rating))

    def sheet_rows():
        responses = Response.objects.filter(round=round_).select_related("target_org")
        for response in responses.order_by("target_org__path", "created_on", "pk").iterator(chunk_size=2000):
            given = answers.get(response.pk, {})
            yield [response.target_org.name, response.created_on, *[given.get(q.pk, "") for q in questions]]

    append_sheet(
        workbook,
        _("Answer sheets"),
        [_("Organization"), _("Answered on"), *[q.text for q in questions]],
        sheet_rows(),
        {0: 28, 1: 12},
    )
