"""Open data has no tables of its own: its files' versions come from the public data (revision.py) and the data
version of the publication layer."""
