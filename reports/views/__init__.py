"""The pages of the reports app: the home page of each role, the results workbook."""
