"""The pages of the assessment app, one module per topic (home, results, workbook)."""
