"""Import (importer): one home for bringing data into the planner, at ``/import``.

* ``imports.index`` (/import): what each import is for and which files it takes;
* ``imports.spreadsheet_upload`` / ``imports.spreadsheet_map`` (/import/regneark): the
  årshjul from Excel or CSV, with column mapping and a preview before anything is saved;
* ``imports.calendar_upload`` / ``imports.calendar_preview`` (/import/kalender): an .ics
  file, each event as a post or in the external ring (ytre ring);
* ``imports.restore`` (/import/sikkerhetskopi): a JSON backup, all or nothing (admins);
* the addresses the wizards had before answer a permanent redirect (308) to these.
"""

from __future__ import annotations

from planner.views.imports import calendar, moved, overview, restore, spreadsheet
from planner.views.imports.common import bp

__all__ = ["bp", "calendar", "moved", "overview", "restore", "spreadsheet"]
