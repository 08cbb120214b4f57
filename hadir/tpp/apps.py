from django.apps import AppConfig


class TppConfig(AppConfig):
    name = "hadir.tpp"
    label = "tpp"
    verbose_name = "TPP dan aturan"
