"""hadir: attendance, discipline and TPP for Indonesian regional governments."""

__version__ = "0.1.0"
