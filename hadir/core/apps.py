from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hadir.core"
    label = "core"
    verbose_name = "hadir"

    def ready(self) -> None:
        # Every process that sets Django up (web, worker, CLI, tests) has hadir's Celery app
        # as its default before anything queues a task from any thread.
        import hadir.celery  # noqa: F401
