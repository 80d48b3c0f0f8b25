"""Read-only in Django's admin (web/admin_readonly.py says why)."""

from django.contrib import admin

from web.accounts import models
from web.accounts.throttle import AdminLoginForm
from web.admin_readonly import register_read_only

register_read_only(models)
admin.site.login_form = AdminLoginForm   # the same login throttle as /accounts/login/
