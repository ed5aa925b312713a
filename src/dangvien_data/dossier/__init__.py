"""Congress dossiers: candidate list, documents checklist, CV sheets, eligibility and structure."""
