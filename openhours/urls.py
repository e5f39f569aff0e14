from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from openhours.core import views as core_views
from openhours.home import views as home_views
from openhours.operations import metrics as operations_metrics
from openhours.operations import views as operations_views

# The admin has no sign-in form of its own: it sends staff to the site's sign-in, which
# is rate-limited and locks out guessing (and, with issue 12's MFA, asks for a second
# factor), so there is one login surface to defend.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", home_views.home, name="home"),
    path("about/", core_views.about, name="about"),
    path("health/", operations_views.health, name="health"),
    path("health/live", operations_views.live, name="health-live"),
    path("metrics", operations_metrics.metrics_view, name="metrics"),
    path("accounts/", include("allauth.urls")),
    path("membership/", include("openhours.membership.urls")),
    path("membership/", include("openhours.accounts.urls")),
    path("organisations/", include("openhours.organisations.urls")),
    path("members/", include("openhours.members.urls")),
    path("posts/", include("openhours.posts.urls")),
    path("exchanges/", include("openhours.exchanges.urls")),
    path("sessions/", include("openhours.group_sessions.urls")),
    path("credits/", include("openhours.ledger.urls")),
    path("notifications/", include("openhours.notifications.urls")),
    path("matching/", include("openhours.matching.urls")),
    path("insight/", include("openhours.insight.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "openhours.core.views.error_403"
handler404 = "openhours.core.views.error_404"
handler500 = "openhours.core.views.error_500"
