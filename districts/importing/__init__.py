"""Reading the files staff exchange with Saima (CSV and XLSX), checking every row, and writing
imported values in bulk.

- ``report``: the problems found in a file (each naming its row and column) and what an
  import did.
- ``tables``: a file opened as a header and a stream of rows, whatever its format.
- ``csv_files`` and ``xlsx_files``: the two formats; ``cells``: reading one cell's text.
- ``value_rows``: the checks of one row of values; ``value_writes``: comparing checked
  values with the stored ones and writing them with their history (``value_staging``: by
  COPY and one upsert on PostgreSQL; Django's bulk helpers elsewhere).
- ``returns``: the district returns an import touches follow its status; ``history``:
  historical records of rows written in bulk.

The services in ``districts.services.imports`` put these together.
"""
