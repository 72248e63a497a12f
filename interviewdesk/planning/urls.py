from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    path("procedures/<int:pk>/planning/", views.planning_home, name="home"),
    path("procedures/<int:pk>/planning/<int:run_id>/", views.run_detail, name="run"),
    path("procedures/<int:pk>/planning/<int:run_id>/progress/", views.run_progress, name="progress"),
    path("procedures/<int:pk>/planning/<int:run_id>/rerun/", views.run_rerun, name="rerun"),
    path("procedures/<int:pk>/planning/<int:run_id>/apply/", views.run_apply, name="apply"),
    path("procedures/<int:pk>/planning/<int:run_id>/put-back/", views.put_back, name="put_back"),
    path("procedures/<int:pk>/planning/<int:run_id>/items/<int:item_id>/", views.item_adjust, name="item"),
    path("procedures/<int:pk>/planning/<int:run_id>/items/<int:item_id>/move/", views.item_move, name="item_move"),
]
