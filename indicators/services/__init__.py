"""Business logic of the indicator system: a new year from the last, the year-on-year diff."""
