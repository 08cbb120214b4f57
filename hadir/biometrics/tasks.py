"""Scheduled work of the biometrics app."""

from __future__ import annotations

from celery import shared_task

from hadir.biometrics.services import departed_erase


@shared_task(name="hadir.biometrics.tasks.erase_departed")
def erase_departed() -> int:
    """Delete templates and encodings of employees who left (Employee.active false)."""
    return departed_erase()
