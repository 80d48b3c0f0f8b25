"""Django's admin may look, never change: rounds, scheme, roster, submissions, findings, assignments, appeals,
attachments and profiles are what a published result is made of, and the site's own pages change them only
through the round's states, with an audit row each. A superuser editing them here (reopening a published round,
editing a finding after publication) would bypass both, so every model is registered read-only."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from django.contrib import admin
from django.db import models


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    actions = None

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


def register_read_only(module: ModuleType) -> None:
    """Every model a models module defines, read-only in the admin."""
    for name in dir(module):
        obj = getattr(module, name)
        if isinstance(obj, type) and issubclass(obj, models.Model) and obj.__module__ == module.__name__ \
                and not obj._meta.abstract:  # type: ignore[attr-defined]
            admin.site.register(obj, ReadOnlyAdmin)
