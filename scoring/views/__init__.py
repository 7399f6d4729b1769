"""The pages of the scoring app: the annual results and the cycle workbook."""
