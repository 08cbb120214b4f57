from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "hadir.org"
    label = "org"
    verbose_name = "Organisasi"
