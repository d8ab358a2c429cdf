"""Reading files people bring (an .ics from Outlook, the årshjul they keep in Excel) into
plain, validated values. Pure: no Flask, no database."""
