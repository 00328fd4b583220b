from django.urls import path

from equiserve.accounts import views

app_name = "accounts"
urlpatterns = [
    path("tokens/", views.api_tokens, name="tokens"),
    path("tokens/revoke/", views.api_tokens_revoke_view, name="revoke_tokens"),
]
