"""Open data: tables for download and the writers for each file format."""
