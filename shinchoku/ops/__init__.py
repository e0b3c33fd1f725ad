"""Running the service: secret key, request logs and limits, health, backups."""
