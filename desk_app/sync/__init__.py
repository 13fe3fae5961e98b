"""Summary building, outbox and the HTTP client for the department. No Qt."""
