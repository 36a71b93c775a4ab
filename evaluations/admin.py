from django.contrib import admin

from .models import Question, Response, Round, SlipBatch


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "opens_at", "closes_at", "allow_open_link"]
    list_select_related = ["owner"]
    search_fields = ["title", "owner__name"]
    autocomplete_fields = ["owner"]
    raw_id_fields = ["campaign"]
    filter_horizontal = ["targets"]
    exclude = ["open_token"]
    inlines = [QuestionInline]

    def get_readonly_fields(self, request, obj=None):
        # As in services/rounds.py: once anyone answered, the orgs evaluated stay (the results and
        # their tallies count every answer as about an org of the round).
        if obj is not None and Response.objects.filter(round=obj).exists():
            return [*super().get_readonly_fields(request, obj), "targets"]
        return super().get_readonly_fields(request, obj)


@admin.register(SlipBatch)
class SlipBatchAdmin(admin.ModelAdmin):
    list_display = ["round", "target_org", "count", "status", "created_at", "seconds"]
    list_select_related = ["round", "target_org"]
    readonly_fields = ["pdf_name", "site_url", "seconds", "error_message"]
