from django.urls import path

from haicap.units import views

app_name = "units"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.detail, name="detail"),
]
