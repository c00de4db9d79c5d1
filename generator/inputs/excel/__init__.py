"""Workbook inputs: the sheet schema, cell reading, the reader, the writer and the .xlsx guard."""
