from django.contrib import admin

from web.evidence.models import Attachment

admin.site.register(Attachment)
