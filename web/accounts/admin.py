"""Read-only in Django's admin (web/admin_readonly.py says why)."""

from web.accounts import models
from web.admin_readonly import register_read_only

register_read_only(models)
