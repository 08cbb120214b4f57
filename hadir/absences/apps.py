from django.apps import AppConfig


class AbsencesConfig(AppConfig):
    name = "hadir.absences"
    label = "absences"
    verbose_name = "Cuti, izin dan dinas"
