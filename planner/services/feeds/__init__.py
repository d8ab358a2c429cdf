"""Calendar feeds (kalenderfeeder): managing them, their content, and serving them fast."""
