from django.urls import path

from treasury.views import exceptions, upload

app_name = "treasury"
urlpatterns = [
    path("upload/", upload.payment_upload, name="upload"),
    path("exceptions/", exceptions.exception_list, name="exceptions"),
]
