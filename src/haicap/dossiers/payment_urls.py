from django.urls import path

from haicap.dossiers import sandbox_views

urlpatterns = [
    path("callback/", sandbox_views.callback, name="payment_callback"),
    path("sandbox/<str:transaction_id>/", sandbox_views.pay, name="sandbox_pay"),
]
