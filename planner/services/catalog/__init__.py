"""The catalog: audiences (målgrupper), channels (kanaler), service areas and the reach matrix."""
