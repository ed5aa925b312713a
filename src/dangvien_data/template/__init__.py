"""Fill-in workbooks (roster, dossier) generated from schemas/."""
