from django.urls import path

from haicap.portal import oidc
from haicap.portal.views import accounts, declaration, filing, pages, payment, tracking, verify

app_name = "portal"
urlpatterns = [
    path("procedures/", pages.catalogue, name="catalogue"),
    path("procedures/<str:code>/", pages.procedure_page, name="procedure"),
    path("procedures/<str:code>/file/", filing.file_online, name="file"),
    path("drafts/<str:token>/", filing.review, name="review"),
    path("places/communes/", pages.communes_options, name="communes"),
    path("lookup/", tracking.lookup, name="lookup"),
    path("lookup/<str:code>/receipt.pdf", tracking.receipt, name="receipt"),
    path("lookup/<str:code>/declaration.pdf", declaration.declaration_pdf, name="declaration"),
    path("lookup/<str:code>/results/<int:paper_id>/", tracking.result_file, name="result"),
    path("lookup/<str:code>/supplement/", tracking.send_supplement, name="supplement"),
    path("lookup/<str:code>/rating/", tracking.rate, name="rate"),
    path("lookup/<str:code>/payment/", payment.payment_page, name="payment"),
    path("lookup/<str:code>/payment/return/", payment.payment_return, name="payment_return"),
    path(
        "lookup/<str:code>/payments/<str:reference>/receipt.pdf",
        payment.receipt,
        name="fee_receipt",
    ),
    path("verify/", verify.verify_upload, name="verify"),
    path("verify/<str:token>/", verify.verify_token, name="verify_token"),
    path("centres/", pages.centres, name="centres"),
    path("me/", accounts.my_dossiers, name="my_dossiers"),
    path("me/inbox/", accounts.inbox, name="inbox"),
    path("me/<str:code>/", tracking.my_dossier, name="my_dossier"),
    path("account/signup/", accounts.signup, name="signup"),
    path("account/signin/", accounts.sign_in, name="signin"),
    path("account/password/reset/", accounts.password_reset, name="password_reset"),
    path("account/password/reset/sent/", accounts.password_reset_done, name="password_reset_done"),
    path(
        "account/password/reset/<uidb64>/<token>/",
        accounts.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "account/password/reset/done/",
        accounts.password_reset_complete,
        name="password_reset_complete",
    ),
    path("account/activate/<str:uid>/<str:token>/", accounts.activate, name="activate"),
    path("account/oidc/", oidc.start, name="oidc_start"),
    path("account/oidc/callback/", oidc.callback, name="oidc_callback"),
]
