"""``python -m dangvien_data`` runs the command-line tool."""

from .cli import main

raise SystemExit(main())
