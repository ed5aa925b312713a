"""From checked rosters to reports: counts per cell, declared vs derived, roll-forward, console and workbooks."""
