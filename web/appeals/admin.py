from django.contrib import admin

from web.appeals import models

for name in dir(models):
    obj = getattr(models, name)
    if isinstance(obj, type) and issubclass(obj, models.models.Model) and obj.__module__ == models.__name__:
        admin.site.register(obj)
