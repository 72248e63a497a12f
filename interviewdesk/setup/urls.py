from django.urls import path

from . import views

app_name = "setup"
urlpatterns = [
    path("procedures/new/", views.procedure_new, name="procedure_new"),
    path("procedures/<int:pk>/setup/", views.procedure_edit, name="procedure_edit"),
    path("procedures/<int:pk>/setup/profile/", views.profile_edit, name="profile"),
    path("procedures/<int:pk>/setup/house-rules/", views.house_rules, name="house_rules"),
    path("procedures/<int:pk>/setup/people/", views.people, name="people"),
    path("procedures/<int:pk>/setup/people/add/", views.person_add, name="person_add"),
    path("procedures/<int:pk>/setup/people/invite/", views.person_invite, name="person_invite"),
    path("procedures/<int:pk>/setup/people/<int:mid>/remove/", views.person_remove, name="person_remove"),
    path("procedures/<int:pk>/setup/juries/", views.juries, name="juries"),
    path("procedures/<int:pk>/setup/juries/new/", views.jury_edit, name="jury_new"),
    path("procedures/<int:pk>/setup/juries/<int:jid>/", views.jury_edit, name="jury_edit"),
    path("procedures/<int:pk>/availability/", views.availability, name="availability"),
    path("procedures/<int:pk>/availability/<int:uid>/", views.availability_edit, name="availability_edit"),
    path("setup/house-rules/", views.service_house_rules, name="service_house_rules"),
    path("setup/closure-days/", views.closure_days, name="closure_days"),
    path("setup/closure-days/<int:did>/remove/", views.closure_day_remove, name="closure_day_remove"),
    path("rooms/", views.rooms, name="rooms"),
    path("rooms/new/", views.room_edit, name="room_new"),
    path("rooms/<int:rid>/", views.room_edit, name="room_edit"),
    path("rooms/<int:rid>/days/", views.room_days, name="room_days"),
    path("accounts/welcome/<uidb64>/<token>/", views.StaffWelcomeView.as_view(), name="welcome"),
]
