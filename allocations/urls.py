from django.urls import path

from allocations.views import documents, imports, prefectures, reallocations

app_name = "allocations"
urlpatterns = [
    path("", documents.document_list, name="document_list"),
    path("<int:pk>/", documents.document_detail, name="document_detail"),
    path("<int:pk>/export.xlsx", documents.document_export, name="document_export"),
    path("<int:pk>/issue/", documents.document_issue, name="document_issue"),
    path("<int:pk>/reallocate/", reallocations.reallocation_create, name="reallocation_create"),
    path("reallocations/overdue/", reallocations.reallocation_overdue, name="reallocation_overdue"),
    path("prefectures/", prefectures.prefecture_list, name="prefecture_list"),
    path("prefectures/<int:pk>/", prefectures.prefecture_detail, name="prefecture_detail"),
    path("import/", imports.import_upload, name="import_upload"),
    path("import/confirm/", imports.import_confirm, name="import_confirm"),
    path("import/template.xlsx", imports.import_template, name="import_template"),
]
