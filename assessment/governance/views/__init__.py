"""Pages of the assessments around the annual one, by topic."""
