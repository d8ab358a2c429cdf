"""Posts (innlegg) as plain values: validation, recurrence rules and their occurrences, and the
date rules of the recommended årshjul."""
