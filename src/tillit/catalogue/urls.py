from django.urls import path

from tillit.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.index, name="index"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.json", views.export_json, name="export_json"),
    path("import/", views.import_catalogue, name="import"),
    path("typer/<int:case_type_id>/", views.case_type, name="case_type"),
    path(
        "typer/<int:case_type_id>/tjanstebeskrivning/",
        views.service_description,
        name="service_description",
    ),
    path(
        "typer/<int:case_type_id>/tjanstebeskrivning.json",
        views.service_description_json,
        name="service_description_json",
    ),
    path("typer/<int:case_type_id>/utkast/", views.start_draft, name="start_draft"),
    path("utkast/<int:version_id>/", views.draft, name="draft"),
    path("meddelanden/", views.notices, name="notices"),
    path("meddelanden/publicera/", views.publish_notice, name="publish_notice"),
    path("meddelanden/<int:notice_id>/last/", views.read_notice, name="read_notice"),
    path("fragor/", views.questions, name="questions"),
    path("fragor/<int:question_id>/svar/", views.answer, name="answer"),
    path("fragor/<int:question_id>/sett/", views.seen, name="seen"),
    path("fragor/<int:question_id>/till-checklistan/", views.promote, name="promote"),
    path("arende/<int:case_id>/fraga/", views.ask, name="ask"),
    path(
        "arende/<int:case_id>/punkt/<int:item_id>/<slug:state>/",
        views.tick,
        name="tick",
    ),
]
