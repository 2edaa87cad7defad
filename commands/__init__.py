"""Command-line commands of manage.py, one module per area; each exposes `register(cli)`."""
