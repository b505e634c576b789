from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("me/", views.profile_edit, name="profile_edit"),
    path("me/data.json", views.export, name="export"),
    path("me/delete/", views.delete_account, name="delete"),
    path("people/<int:user_id>/", views.profile_detail, name="profile"),
    path("people/<int:user_id>/avatar/", views.avatar, name="avatar"),
    path("initiative/<int:page_id>/members/", views.members, name="members"),
    path("initiative/<int:page_id>/join/", views.join, name="join"),
    path("initiative/<int:page_id>/leave/", views.leave, name="leave"),
    path("initiative/<int:page_id>/nominate/", views.nominate, name="nominate"),
    path(
        "initiative/<int:page_id>/members/<int:user_id>/frontrunner/",
        views.appoint_frontrunner,
        name="appoint_frontrunner",
    ),
    path("initiative/<int:page_id>/members/<int:user_id>/editor/", views.invite_editor, name="invite_editor"),
    path(
        "initiative/<int:page_id>/members/<int:user_id>/editor/remove/",
        views.remove_editor,
        name="remove_editor",
    ),
    path("nominations/<int:nomination_id>/withdraw/", views.withdraw_nomination, name="withdraw_nomination"),
]
