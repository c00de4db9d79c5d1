"""Reading last year's report (.docx or .txt) into an input: ``genreport import REPORT``.

The stages mirror the main pipeline: a reader turns the file into :mod:`blocks`
(paragraphs and tables in order, each with its place), :mod:`outline` finds the reports
of a volume, their header and their sections, :mod:`figures` and :mod:`indicators` find
the money and the indicators, and :mod:`assemble` writes the commented YAML input.
"""
