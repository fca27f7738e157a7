from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Tillit administration")
admin.site.site_title = "Tillit"
admin.site.index_title = _("Administration")
