"""Calendar feeds as bytes: building iCalendar (RFC 5545) from plain values."""
