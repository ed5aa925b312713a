"""Rules of the domain shared by every stage: Vietnamese text, dates, police service age, cell names."""
