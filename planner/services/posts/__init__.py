"""Posts (innlegg): writing them, reading the plan, rolling a year forward and seeding the
recommended årshjul."""
