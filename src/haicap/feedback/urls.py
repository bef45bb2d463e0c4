"""Officers' feedback pages (namespace ``feedback``)."""

from django.urls import path

from haicap.feedback.views import categories, figures, filing, handling

app_name = "feedback"

urlpatterns = [
    path("", handling.queue, name="queue"),
    path("console/", filing.console, name="console"),
    path("console/earlier/", filing.earlier, name="earlier"),
    path("figures/", figures.figures, name="figures"),
    path("categories/", categories.province_categories, name="categories"),
    path("r/<str:code>/", handling.report, name="report"),
    path("r/<str:code>/<slug:action>/", handling.step, name="step"),
]
