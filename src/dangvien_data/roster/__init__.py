"""The roster: read and locate a workbook, normalise its values, check them (schema + cross-row rules)."""
