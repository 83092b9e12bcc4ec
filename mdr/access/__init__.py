"""Agencies, API keys and grants, the access log, and data-subject tokens."""
