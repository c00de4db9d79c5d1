"""Alembic migrations of the workbench database, applied by generator.web.db.migrate at start."""
