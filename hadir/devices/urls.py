from django.urls import path

from hadir.devices import views

urlpatterns = [
    path("cdata", views.cdata, name="adms-cdata"),
    path("getrequest", views.getrequest, name="adms-getrequest"),
    path("devicecmd", views.devicecmd, name="adms-devicecmd"),
    path("ping", views.ping, name="adms-ping"),
]
