"""Pages of the entry side for the bureau and the clerks: review, completeness, data quality,
a figure's history. Thin: parse the request, call one selector or service, render."""
