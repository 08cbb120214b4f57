"""The staff web's named people and check-ins (hadir/web/tests/people.py)."""

from hadir.web.tests.people import checkin, staff

__all__ = ["checkin", "staff"]
