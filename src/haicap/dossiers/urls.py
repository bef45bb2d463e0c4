from django.urls import path

from haicap.dossiers import intake_views, payment_views, queue_views, register_views, views

app_name = "staff"
urlpatterns = [
    path("", queue_views.queue_page, name="queues"),
    path("bulk/", queue_views.bulk, name="bulk"),
    path("intake/", intake_views.intake, name="intake"),
    path("registers/", register_views.registers_page, name="registers"),
    path("dossiers/<str:code>/", views.dossier_page, name="dossier"),
    path("dossiers/<str:code>/act/<str:action>/", views.act, name="act"),
    path("dossiers/<str:code>/papers/<int:paper_id>/", views.paper_file, name="paper"),
    path("dossiers/<str:code>/declaration.pdf", intake_views.declaration_pdf, name="declaration"),
    path("dossiers/<str:code>/payment/", payment_views.payment_page, name="payment"),
    path("dossiers/<str:code>/payment/take/", payment_views.take_payment, name="take_payment"),
    path(
        "dossiers/<str:code>/payments/<str:reference>/receipt.pdf",
        payment_views.receipt,
        name="fee_receipt",
    ),
    path("dossiers/<str:code>/<str:name>.pdf", views.document, name="document"),
]
