"""Stage 7: write documents atomically, without overwriting hand edits; convert to PDF."""
