"""One framework for every tabular import (registry, cases, facilities, town areas).

`reading` reads CSV and XLSX uploads within the caps of `limits`; `columns`
states an importer's typed columns, read by `cells`; `report` holds every
problem with its cell (at most MAX_ISSUES, then checking stops); `workbook`
writes the error report; `views.import_page` is the one page, behind
`permissions.access_import` (a 404, like `access_*`). Each importer keeps only
its columns, its row checks against the database, and its all-or-nothing write
in one transaction.
"""
