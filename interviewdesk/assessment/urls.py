from django.urls import path

from . import views, views_results

app_name = "assessment"

P = "procedures/<int:pk>/assessment/"
IV = P + "interviews/<int:appointment_id>/"

urlpatterns = [
    path(P, views.interview_list, name="interviews"),
    path(P + "guide/", views.guide_view, name="guide"),
    path(P + "guide/edit/", views.guide_edit, name="guide_edit"),
    path(IV + "sheet/", views.sheet, name="sheet"),
    path(IV + "sheet/autosave/", views.sheet_autosave, name="sheet_autosave"),
    path(IV + "sheet/submit/", views.sheet_submit, name="sheet_submit"),
    path(IV + "sheets/", views.all_sheets, name="all_sheets"),
    path(IV + "consensus/", views_results.consensus, name="consensus"),
    path(IV + "consensus/sign-off/", views_results.sign_off, name="sign_off"),
    path(IV + "correct/", views_results.correct, name="correct"),
    path(IV + "feedback.pdf", views_results.feedback_pdf, name="feedback_pdf"),
    path(IV + "jury-report.pdf", views_results.jury_pdf, name="jury_pdf"),
    path(P + "results/", views_results.results, name="results"),
    path(P + "results/publish/", views_results.publish, name="publish"),
    path(P + "statistics/", views_results.statistics_view, name="statistics"),
    path(P + "export.xlsx", views_results.export_xlsx, name="export"),
]
