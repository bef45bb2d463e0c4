"""Citizen pages, one module per feature."""
