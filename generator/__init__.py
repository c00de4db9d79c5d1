"""genreport: performance self-evaluation reports for medical-insurance transfer funds."""

__version__ = "0.1.0"
