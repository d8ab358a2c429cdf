"""Exports: the JSON backup format, the plan for the communication strategy, backups."""
