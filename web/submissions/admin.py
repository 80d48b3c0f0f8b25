"""Read-only in Django's admin (web/admin_readonly.py says why)."""

from web.admin_readonly import register_read_only
from web.submissions import models

register_read_only(models)
