"""URLs. Each capability's app brings its own urls module; this file only mounts them."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from tillit.core.views import healthz

handler500 = "tillit.core.views.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path(
        "tillganglighet/",
        TemplateView.as_view(template_name="core/accessibility.html"),
        name="accessibility",
    ),
    path("arenden/", include("tillit.cases.urls")),
    path("e-tjanst/", include("tillit.public.urls")),
    path("katalog/", include("tillit.catalogue.urls")),
    path("brevlada/", include("tillit.mailbox.urls")),
    path("team/", include("tillit.team.urls")),
    path("aterkoppling/", include("tillit.feedback.urls")),
    path("dialog/", include("tillit.dialog.urls")),
    path("samverkan/", include("tillit.liaison.urls")),
    path("api/", include("tillit.api.urls")),
    path("", include("tillit.accounts.urls")),
]
