from django.urls import path

from . import views

app_name = "ledger"

urlpatterns = [
    path("", views.statement, name="statement"),
    path("statement.csv", views.statement_csv, name="statement_csv"),
    path("donate/", views.donate, name="donate"),
    path("pool/", views.pool, name="pool"),
    path("pool/grant/", views.pool_grant, name="pool_grant"),
    path("pool/top-up/", views.pool_top_up, name="pool_top_up"),
    path("pool/adjust/", views.pool_adjust, name="pool_adjust"),
    path("transfers/find/", views.find_transfer, name="find_transfer"),
    path("transfers/<int:transfer_id>/reverse/", views.reverse_transfer, name="reverse"),
    path("audit/", views.audit, name="audit"),
]
