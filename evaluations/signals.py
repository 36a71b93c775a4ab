"""Keeps the tallies exact when a question with answers is deleted (evaluations/tallies.py)."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from . import tallies
from .models import Question


@receiver(pre_delete, sender=Question, dispatch_uid="evaluations-forget-question")
def forget_question_tallies(sender, instance, **kwargs):
    tallies.forget_question(instance)
