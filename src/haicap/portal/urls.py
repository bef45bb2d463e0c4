from django.urls import path

from haicap.portal import oidc
from haicap.portal.views import accounts, filing, pages, tracking

app_name = "portal"
urlpatterns = [
    path("procedures/", pages.catalogue, name="catalogue"),
    path("procedures/<str:code>/", pages.procedure_page, name="procedure"),
    path("procedures/<str:code>/file/", filing.file_online, name="file"),
    path("drafts/<str:token>/", filing.review, name="review"),
    path("places/communes/", pages.communes_options, name="communes"),
    path("lookup/", tracking.lookup, name="lookup"),
    path("lookup/<str:code>/receipt.pdf", tracking.receipt, name="receipt"),
    path("lookup/<str:code>/results/<int:paper_id>/", tracking.result_file, name="result"),
    path("lookup/<str:code>/supplement/", tracking.send_supplement, name="supplement"),
    path("lookup/<str:code>/rating/", tracking.rate, name="rate"),
    path("centres/", pages.centres, name="centres"),
    path("me/", accounts.my_dossiers, name="my_dossiers"),
    path("me/<str:code>/", tracking.my_dossier, name="my_dossier"),
    path("account/signup/", accounts.signup, name="signup"),
    path("account/activate/<str:uid>/<str:token>/", accounts.activate, name="activate"),
    path("account/oidc/", oidc.start, name="oidc_start"),
    path("account/oidc/callback/", oidc.callback, name="oidc_callback"),
]
