from django.urls import path

from partnerships import views

app_name = "partnerships"
urlpatterns = [
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/export.xlsx", views.agreement_export, name="agreement_export"),
    path("agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/print/", views.agreement_print, name="agreement_print"),
    path("agreements/<int:pk>/agreement.pdf", views.agreement_pdf, name="agreement_pdf"),
    path("agreements/<int:pk>/document/", views.agreement_document, name="agreement_document"),
    path("agreements/<int:pk>/status/", views.agreement_transition, name="agreement_transition"),
    path("commitments/<int:pk>/done/", views.commitment_done, name="commitment_done"),
    path("partners/", views.partner_list, name="partner_list"),
    path("partners/new/", views.partner_form, name="partner_create"),
    path("partners/<int:pk>/edit/", views.partner_form, name="partner_edit"),
]
