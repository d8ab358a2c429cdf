"""The årshjul as geometry: its vocabulary (``model``), polar geometry, the frame of months and
weeks, where each mark goes in its ring, and the whole layout."""
