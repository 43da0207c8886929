"""Comments and their audit trail in the admin: records, shown read-only.

Comments are removed through the site, which keeps the removal in the audit trail.
"""

from django.contrib import admin

from comments.models import Comment, CommentEvent
from rankings.admin import ReadOnlyAdminMixin


class CommentEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CommentEvent
    fields = ["action", "actor", "at", "reason", "body"]
    readonly_fields = fields
    extra = 0


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "district",
        "indicator",
        "author",
        "author_role",
        "created_at",
        "edited_at",
        "removed_at",
    ]
    list_filter = ["race", "period", ("removed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["race", "district", "indicator", "author"]
    search_fields = ["body", "author__username"]
    inlines = [CommentEventInline]
    exclude = ["body_html"]

    def get_queryset(self, request):
        # A removed comment is hidden from everyone but those who remove comments: its text
        # stays in the audit trail for administrators, not in clerks' and reviewers' search.
        queryset = super().get_queryset(request)
        if not request.user.has_perm("comments.remove_comment"):
            queryset = queryset.filter(removed_at__isnull=True)
        return queryset


@admin.register(CommentEvent)
class CommentEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["comment", "action", "actor", "at", "reason"]
    list_filter = ["action"]
    list_select_related = ["comment__race", "actor"]
    search_fields = ["body", "reason", "actor__username"]
