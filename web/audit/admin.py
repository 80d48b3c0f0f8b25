"""The audit trail in Django's admin: read-only (no add, change or delete, not even for a superuser)."""

from typing import Any

from django.contrib import admin

from web.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("at", "username", "role", "action", "summary")
    list_filter = ("action", "model")
    search_fields = ("username", "summary", "entity_id")
    actions = None

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
