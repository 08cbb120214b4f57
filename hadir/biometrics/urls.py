from django.urls import path

from hadir.biometrics import views

app_name = "biometrics"

urlpatterns = [
    path("checkins/<int:checkin_id>/frames/<int:index>.jpg", views.frame, name="frame"),
]
