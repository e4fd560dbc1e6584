"""Session documents: background papers, concept notes, reports, their versions and their review."""
