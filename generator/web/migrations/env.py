"""Alembic's entry point: runs the migrations on the connection generator.web.db.migrate passes."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
# Batch mode: SQLite can only change a table by copying it, which batch operations do.
context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
