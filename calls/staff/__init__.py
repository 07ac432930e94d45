"""Staff tools over calls and conversations: find one by its reference, export a date range."""
