"""What one input may cost, in one place: every reader checks these before it reads
everything, and refuses early with a message that names the limit.

Raise a limit here, and the readers, the dashboard's upload widgets and the messages
follow. Streamlit's own upload limit (``kommunkarta run`` passes
``--server.maxUploadSize``) is the largest file limit, in whole MB.
"""

from __future__ import annotations

MB = 1024 * 1024

# Files
DATA_FILE_BYTES = 20 * MB  # one curated CSV file of data/ (loader)
UPLOAD_BYTES = 5_000_000  # an edit upload: CSV or .xlsx (storage.uploads)
POINT_FILE_BYTES = 50 * MB  # a point layer: CSV, GeoJSON, GeoPackage, Overpass JSON (service.importers)
GRID_FILE_BYTES = 400 * MB  # a population grid file, and SCB's WFS answer that becomes one (service.grid, web.scb)
STREAMLIT_UPLOAD_MB = POINT_FILE_BYTES // MB  # the largest file the dashboard accepts at all

# Workbooks (.xlsx is a zip): checked in the zip's directory before anything is unpacked
WORKBOOK_UNCOMPRESSED_BYTES = 50 * MB  # all parts together
WORKBOOK_PART_BYTES = 40 * MB  # any one part (a sheet, the shared strings)
WORKBOOK_PARTS = 200  # parts in the zip

# Tables, while reading: the first row past a limit stops the reading
TABLE_ROWS = 100_000  # data rows of one sheet or CSV file of an edit upload
TABLE_COLUMNS = 100  # columns of one sheet or CSV file
CELL_CHARS = 10_000  # characters of one cell; the schema's field limits are lower
POINT_ROWS = 2_000_000  # points in one point file
TABLE_CELLS = 10_000_000  # cells (rows x columns) of one CSV file, kept in memory while reading
GRID_SQUARES = 2_000_000  # squares or points of one population grid
ROAD_FEATURES = 20_000_000  # lines of one road GeoPackage

# Reading an uploaded or imported file (GDAL, SQLite): stopped after this long
READ_SECONDS = 120

# Text fields of the curated tables (schema): single-line fields and long text
LINE_CHARS = 2_000  # a name, a source, a list of kommuner
TEXT_CHARS = CELL_CHARS  # a description, a note

# JSON
JSON_DEPTH = 64  # nesting of arrays and objects; GeoJSON points need 4

# Names
LOGIN_NAME_CHARS = 100  # an editor's login name; a longer one is refused before any lookup
LOGIN_FAILURES_PER_CLIENT = 20  # failed logins from one client (address) in the throttle window
LAYER_TITLE_CHARS = 120  # a stored layer's title
LAYER_ID_CHARS = 60  # the file name made from it

# Fetches from web services on a click (kommunkarta.web): every fetch has one deadline as well
OVERPASS_ROAD_TILE_BYTES = 512 * MB  # one road tile's answer, streamed to disk
OVERPASS_ROADS_BYTES = 2048 * MB  # all tiles of one road fetch, and the merged answer read back
FETCH_PAGES = 200  # pages of one paged fetch (SCB's WFS, Kolada)
WFS_FEATURES = 1_000_000  # features of one WFS layer (SCB's 1 km grid has about 105 000)
KOLADA_BYTES = 50 * MB  # one Kolada fetch, all pages
KOLADA_ROWS = 1_000_000  # value rows (municipality × year × gender) of one Kolada fetch

# Reports
PROBLEMS_PER_FIELD = 20  # problems listed per file and field; the rest are counted
UNKNOWN_VALUES_SHOWN = 20  # unknown values of a link parameter (lan=, years=) named in a warning
