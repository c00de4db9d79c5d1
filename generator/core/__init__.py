"""Shared building blocks of every stage: money, quantities, scoring, rule values, vocabularies.

Imports nothing of genreport but errors and limits; every other stage may import it.
"""
