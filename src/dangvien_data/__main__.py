"""``python -m dangvien_data`` runs the command-line tool."""

from .cli import run

run()
