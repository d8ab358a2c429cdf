"""Services: the mutations (create, update, delete, import) with validation and the commit."""
