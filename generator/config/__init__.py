"""Data files beside the templates: the search path, rule sets, wording and indicator systems."""
