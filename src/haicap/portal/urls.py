from django.urls import path

from haicap.portal import oidc, views

app_name = "portal"
urlpatterns = [
    path("procedures/", views.catalogue, name="catalogue"),
    path("procedures/<str:code>/", views.procedure_page, name="procedure"),
    path("procedures/<str:code>/file/", views.file_online, name="file"),
    path("drafts/<str:token>/", views.review, name="review"),
    path("places/communes/", views.communes_options, name="communes"),
    path("lookup/", views.lookup, name="lookup"),
    path("lookup/<str:code>/receipt.pdf", views.receipt, name="receipt"),
    path("lookup/<str:code>/results/<int:paper_id>/", views.result_file, name="result"),
    path("lookup/<str:code>/supplement/", views.send_supplement, name="supplement"),
    path("lookup/<str:code>/rating/", views.rate, name="rate"),
    path("centres/", views.centres, name="centres"),
    path("me/", views.my_dossiers, name="my_dossiers"),
    path("me/<str:code>/", views.my_dossier, name="my_dossier"),
    path("account/signup/", views.signup, name="signup"),
    path("account/oidc/", oidc.start, name="oidc_start"),
    path("account/oidc/callback/", oidc.callback, name="oidc_callback"),
]
