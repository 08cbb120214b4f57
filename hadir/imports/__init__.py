"""Importing units, employees, the calendar, events and absences from CSV or XLSX files."""
