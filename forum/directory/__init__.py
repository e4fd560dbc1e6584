"""Countries, organisations, people and user accounts."""
