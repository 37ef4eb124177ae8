from django.urls import path

from progress import views

app_name = "progress"
urlpatterns = [
    path("progress/", views.dashboard_home, name="home"),
    path("progress/<int:pk>/", views.dashboard, name="dashboard"),
    path("progress/<int:pk>/refresh/", views.refresh, name="refresh"),
    path("progress/<int:pk>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("progress/<int:pk>/report.pdf", views.export_pdf, name="export_pdf"),
    path("progress/<int:pk>/report.docx", views.export_docx, name="export_docx"),
]
