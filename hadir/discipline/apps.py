from django.apps import AppConfig


class DisciplineConfig(AppConfig):
    name = "hadir.discipline"
    label = "discipline"
    verbose_name = "Disiplin (PP 94/2021)"
