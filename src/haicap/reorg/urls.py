from django.urls import path

from haicap.reorg import views

app_name = "reorg"
urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("plan-2025/", views.build_2025, name="build_2025"),
    path("<int:pk>/", views.plan_page, name="plan"),
    path("<int:pk>/preview/", views.preview, name="preview"),
    path("<int:pk>/apply/", views.apply, name="apply"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/overrides/", views.add_override, name="override"),
]
