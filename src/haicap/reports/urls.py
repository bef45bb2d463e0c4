from django.urls import path

from haicap.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="nation"),
    path("dossiers/", views.dossiers, name="dossiers"),
    path("report.pdf", views.report_pdf, name="pdf"),
    path("<str:code>/", views.dashboard, name="scope"),
]
