"""Calendar reminders for a plan's deadlines: RFC 5545 ``.ics``, Outlook CSV, one calendar per owner.

Public API: :func:`to_ics`, :func:`to_outlook_csv`, :func:`by_owner`. ``items`` decides what goes
in (one item per deadline and reminder); ``ics`` and ``outlook_csv`` write the items; ``owners``
writes one file per owner and keeps it stable across exports. May import: the core.
"""

from edi_workbook.calendar.ics import to_ics, to_outlook_csv
from edi_workbook.calendar.owners import by_owner

__all__ = ["by_owner", "to_ics", "to_outlook_csv"]
