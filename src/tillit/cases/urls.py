from django.urls import path
from django.views.generic import RedirectView

from tillit.cases.views import case_page, handovers, queues, registration

app_name = "cases"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="cases:queues"), name="index"),
    path("ko/", queues.queue, name="queues"),
    path("ko/<slug:slug>/", queues.queue, name="queue"),
    path("sok/", queues.search, name="search"),
    path("registrera/", registration.register, name="register"),
    path("inkommande/", handovers.incoming, name="incoming"),
    path("uppslag/arendetyper/", registration.case_type_options, name="case_type_options"),
    path("uppslag/personer/", registration.person_options, name="person_options"),
    path("<int:case_id>/", case_page.case_page, name="case"),
    path("<int:case_id>/<slug:slug>/", case_page.change_case, name="change"),
    path(
        "<int:case_id>/bilagor/<int:attachment_id>/",
        case_page.download_attachment,
        name="attachment",
    ),
    path(
        "overlamningar/<int:handover_id>/<slug:slug>/",
        handovers.answer_handover,
        name="answer",
    ),
]
