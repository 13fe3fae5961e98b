"""Storage: SQLAlchemy models, engine set-up, migrations on start, queries, backup. No Qt."""
