"""Stage 1-2: read an input (YAML or workbook), bound it, and validate it into models."""
