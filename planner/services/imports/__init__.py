"""Imports: JSON restore, spreadsheets, .ics files and external calendars. All or nothing."""
