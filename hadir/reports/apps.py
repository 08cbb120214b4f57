from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "hadir.reports"
    label = "reports"
    verbose_name = "Laporan"
