"""Database layer: engines named per process, explicit sessions, migrations."""
