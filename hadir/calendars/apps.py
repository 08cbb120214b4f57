from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "hadir.calendars"
    label = "calendars"
    verbose_name = "Kalender"
