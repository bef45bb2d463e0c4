from django.urls import path

from haicap.documents.views import detail, drafting, lists, papers

app_name = "documents"
urlpatterns = [
    path("", lists.inbox, name="inbox"),
    path("out/", lists.outbox, name="outbox"),
    path("search/", lists.search_page, name="search"),
    path("new/", drafting.new_draft, name="new"),
    path("register/", drafting.register_incoming, name="register_incoming"),
    path("exchange/", drafting.upload_package, name="exchange"),
    path("certificate/", drafting.certificate, name="certificate"),
    path("registers/", papers.registers_page, name="registers"),
    path(
        "registers/<str:code>/<int:year>/<str:direction>/",
        papers.register_page,
        name="register",
    ),
    path(
        "registers/<str:code>/<int:year>/<str:direction>.<str:fmt>",
        papers.register_file,
        name="register_file",
    ),
    path("<int:document_id>/", detail.document_page, name="document"),
    path("<int:document_id>/act/<str:action>/", detail.act, name="act"),
    path("<int:document_id>/revise/", detail.revise, name="revise"),
    path("<int:document_id>/files/<int:file_id>/", detail.download, name="file"),
    path("<int:document_id>/files/<int:file_id>/verify/", detail.verify, name="verify"),
    path("<int:document_id>/package.xml", detail.package, name="package"),
]
