"""Drafting a report from its figures: which sentence goes where, for each kind of document.

Three kinds, modelled on the source documents:
- progress (推进会汇报材料): 一、进展情况及主要作法 二、取得的初步成效 三、存在的主要问题 四、下阶段工作安排
- experience (经验材料): 一、完善工作机制 二、依托活动载体开展争创活动 三、存在的问题和下一步打算
- speech (讲话稿): 同志们： … 一、认清形势（成绩与问题） 二、把握要求，深入推进
The wording is in phrasing.py; sentences.py decides what to say from the numbers, tables.py what to
show beside it, documents.py where each goes.
"""

from django.utils.translation import gettext_lazy as _

from .documents import EXPERIENCE, PROGRESS, SPEECH, draft
from .sentences import participation

TEMPLATES = {
    PROGRESS: _("Progress report (推进会汇报材料)"),
    EXPERIENCE: _("Experience material (经验材料)"),
    SPEECH: _("Speech (讲话稿)"),
}

__all__ = ["EXPERIENCE", "PROGRESS", "SPEECH", "TEMPLATES", "draft", "participation"]
