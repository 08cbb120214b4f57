from django.urls import path

from hadir.web.views import absences, auth, dashboards, operator, tpp, verify

app_name = "web"

urlpatterns = [
    path("", dashboards.home, name="home"),
    path("masuk/", auth.login_view, name="login"),
    path("keluar/", auth.logout_view, name="logout"),
    path("otp/", auth.otp_view, name="otp"),
    path("otp/daftar/", auth.otp_enrol_view, name="otp_enrol"),
    path("hari-ini/", dashboards.today_partial, name="today"),
    path("pegawai/<int:employee_id>/kalender/", dashboards.employee_calendar, name="calendar"),
    path("tpp/", tpp.tpp_sheet, name="tpp"),
    path("unduh/<str:kind>.<str:fmt>", tpp.export, name="export"),
    path("verifikasi/", verify.queue, name="queue"),
    path("verifikasi/<int:pk>/", verify.decide, name="queue_decide"),
    path("verifikasi/massal/", verify.bulk, name="queue_bulk"),
    path("verifikasi/bulanan/", verify.monthly, name="monthly"),
    path("cuti/", absences.requests_list, name="absences"),
    path("cuti/<int:pk>/keputusan/", absences.decide, name="absence_decide"),
    path("cuti/input/", absences.enter, name="absence_enter"),
    path("cuti/<int:pk>/dokumen/", absences.document, name="absence_document"),
    path("apel/", operator.apel, name="apel"),
    path("koreksi/", operator.corrections, name="corrections"),
    path("koreksi/<int:pk>/keputusan/", operator.correction_decision, name="correction_decide"),
]
