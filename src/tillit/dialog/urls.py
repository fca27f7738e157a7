from django.urls import path

from tillit.dialog import exports, participant_views, views

app_name = "dialog"

urlpatterns = [
    path("", participant_views.join, name="join"),
    path("mina/", views.mine, name="mine"),
    path("ny/", views.create, name="create"),
    path("mote/<int:session_id>/", views.control, name="control"),
    path("mote/<int:session_id>/live/", views.control_live, name="control_live"),
    path("mote/<int:session_id>/nasta-steg/", views.next_step, name="next_step"),
    path("mote/<int:session_id>/visa/", views.reveal, name="reveal"),
    path("mote/<int:session_id>/avsluta/", views.finish, name="finish"),
    path("mote/<int:session_id>/flytta/", views.move, name="move"),
    path("mote/<int:session_id>/svar/<int:factor_id>/", views.moderate, name="moderate"),
    path("mote/<int:session_id>/skarm/", views.screen, name="screen"),
    path("mote/<int:session_id>/skarm/live/", views.screen_live, name="screen_live"),
    path("mote/<int:session_id>/resultat.csv", exports.session_csv, name="csv"),
    path("mote/<int:session_id>/bord/<int:table_id>.csv", exports.table_csv, name="table_csv"),
    path("mote/<int:session_id>/sammanfattning/", exports.summary, name="summary"),
    path("mote/<int:session_id>/uppfoljning/", exports.follow_up, name="follow_up"),
    path("forslag/<int:proposal_id>/", exports.decide, name="decide"),
    path("<str:code>/", participant_views.participant, name="participant"),
    path("<str:code>/live/", participant_views.participant_live, name="participant_live"),
    path("<str:code>/anteckning/", participant_views.add_note, name="add_note"),
    path(
        "<str:code>/anteckning/<int:note_id>/dela/",
        participant_views.share_note,
        name="share_note",
    ),
    path("<str:code>/bordssvar/", participant_views.save_answer, name="save_answer"),
    path("<str:code>/faktor/", participant_views.add_factor, name="add_factor"),
]
