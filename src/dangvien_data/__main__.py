"""``python -m dangvien_data`` runs the command-line tool."""

from dangvien_data.cli import run

run()
