"""Editing in the dashboard (AppTest): login, uploads with preview, conflicts, history
and undo, and text from the data staying text."""

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from kommunkarta import paths, selection
from kommunkarta.outputs import maps
from kommunkarta.storage import auth, db, store, uploads

from .support.apptest import app, fresh_caches  # noqa: F401 (fresh_caches: an autouse fixture)
from .support.published import js_unescaped, with_published

PASSWORD = "rätt lösenord för test"
EDITORS = {"editing": {"users": {"Anna": auth.hash_password(PASSWORD)}}}
HEADER = "network_id;kommun_kod;name;country;role;since;until;source;certainty;note"


@pytest.fixture(autouse=True)
def own_database(tmp_path, monkeypatch):
    """Each test edits a database of its own, filled from data/, with fresh caches."""
    monkeypatch.setenv("KOMMUNKARTA_HOME", str(tmp_path / "home"))


def unescaped(markdown: str) -> str:
    """Markdown source with its backslash escapes resolved: the text a reader sees."""
    import re

    return re.sub(r"\\(.)", r"\1", markdown)


def database():
    return store.open_database(db.database_url({}))


def open_page(page: str, secrets=None) -> AppTest:
    return app(secrets=secrets or {}, timeout=60).switch_page(page).run()


def log_in(at: AppTest, user: str = "anna", password: str = PASSWORD) -> AppTest:
    at.text_input(key="kk_login_user").input(user)
    at.text_input(key="kk_login_password").input(password)
    return next(b for b in at.button if b.label == "Logga in").click().run()


def upload(at: AppTest, name: str, raw: bytes) -> AppTest:
    at.radio(key="kk_edit_mode").set_value("upload").run()
    at.file_uploader[0].set_value((name, raw, "text/csv"))
    return at.run()


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def write_button(at: AppTest):
    return next(b for b in at.button if b.label == "Skriv till databasen")


@pytest.mark.parametrize("page", ["app_pages/edit.py", "app_pages/history.py"])
def test_without_editing_configured_the_pages_are_read_only_and_say_how(page):
    at = open_page(page)
    assert not at.exception
    assert at.info[0].value == "Dashboarden är skrivskyddad: redigering är inte påslagen här."
    assert "kommunkarta hash-password" in at.markdown[0].value and "[editing.users]" in at.markdown[0].value
    assert not at.file_uploader and not at.dataframe and not at.text_input


@pytest.mark.parametrize("page", ["app_pages/edit.py", "app_pages/history.py"])
def test_edit_pages_refuse_a_user_who_is_not_logged_in(page):
    at = open_page(page, EDITORS)
    assert not at.exception
    assert at.subheader[0].value == "Logga in för att redigera"
    assert [t.label for t in at.text_input] == ["Användarnamn", "Lösenord"]
    assert not at.file_uploader and not at.dataframe
    at = log_in(at, password="fel lösenord")
    assert at.error[0].value == "Fel användarnamn eller lösenord."
    assert not at.file_uploader and not at.dataframe


def test_repeated_failed_logins_are_slowed_down():
    at = open_page("app_pages/edit.py", EDITORS)
    for _ in range(auth.FREE_ATTEMPTS - 1):
        at = log_in(at, password="fel")
        assert at.error[0].value == "Fel användarnamn eller lösenord."
    at = log_in(at, password="fel")
    assert at.error[0].value == "Fel användarnamn eller lösenord. Nästa försök prövas tidigast om 2 sekunder."
    # Even the right password is not checked until the wait is over.
    at = log_in(at)
    assert at.error[0].value.startswith("För många misslyckade försök med det namnet. Försök igen om ")
    assert not at.sidebar.markdown or "Inloggad som" not in at.sidebar.markdown[-1].value


def test_logged_in_editor_uploads_a_member_after_a_preview():
    at = log_in(open_page("app_pages/edit.py", EDITORS))
    assert "Inloggad som **anna**" in [m.value for m in at.sidebar.markdown]
    raw = (
        HEADER + "\r\nindustrikommuner;;Falu kommun;SE;member;2024;;https://example.se/arsmote;likely;Ny medlem\r\n"
    ).encode("cp1252")
    at = upload(at, "medlemmar.csv", raw)
    assert not at.exception
    assert (metric(at, "Nya"), metric(at, "Ändrade"), metric(at, "Borttagna")) == ("1", "0", "0")
    assert "filen är inte UTF-8" not in " ".join(i.value for i in at.info)  # plain ASCII, no notice
    added = at.dataframe[0].value
    assert list(added["name"]) == ["Falun"] and list(added["kommun_kod"]) == ["2080"]
    assert len(store.current_state(database())["memberships"]) == 153  # nothing written by the preview

    at = write_button(at).click().run()
    assert at.success[0].value == "Skrivet som ändring 2 (1 nya, 0 ändrade, 0 borttagna)."
    history = store.history(database())
    assert (history[0].user, history[0].kind, history[0].counts) == ("anna", "upload", {"insert": 1})

    # Every page shows it at once: Falun is now among the industry network's kommuner.
    at.switch_page("app_pages/overview.py").run()
    at.multiselect(key="f_networks_sv").set_value(["industrikommuner"]).run()
    kommuner = next(df.value for df in at.dataframe if "Kommunkod" in df.value.columns)
    assert "Falun" in set(kommuner["Kommun"])


def test_rejected_upload_lists_errors_by_row_and_field_and_cannot_be_written():
    at = log_in(open_page("app_pages/edit.py", EDITORS))
    raw = (
        HEADER + "\r\n"
        "industrikommuner;;Falun;SE;member;2024;;https://example.se/a;likely;\r\n"
        "industrikommuner;;Trollhätan;SE;member;2024;;https://example.se/a;likely;\r\n"
    ).encode("cp1252")
    revision = db.revision(database())
    at = upload(at, "medlemmar.csv", raw)
    assert at.error[0].value == "Filen kan inte skrivas: 1 fel. Databasen är oförändrad."
    problems = at.dataframe[0].value
    assert list(problems.iloc[0]) == ["medlemmar.csv", 3, "name", "okänd kommun 'Trollhätan'; menar du Trollhättan?"]
    assert write_button(at).disabled
    assert db.revision(database()) == revision


def test_a_row_changed_after_the_preview_is_a_conflict_with_both_versions():
    engine = database()
    at = log_in(open_page("app_pages/edit.py", EDITORS))
    state = store.current_state(engine)
    row = next(r for r in state["places"].values() if r.values["id"] == "solleron")
    at = upload(at, "platser.csv", b"id;note\nsolleron;Annas anteckning\n")
    assert metric(at, "Ändrade") == "1"
    # Bertil saves the same row while Anna looks at her preview.
    store.apply(
        engine,
        [store.RowChange("places", "update", row.row_id, {**row.values, "note": "Bertils anteckning"}, row.version)],
        "bertil",
        "edit",
    )
    at = write_button(at).click().run()
    assert at.error[0].value.startswith("Inget sparades: någon annan har ändrat 1 av raderna")
    both = at.dataframe[0].value
    assert list(both.columns) == ["Fält", "Sparad version", "Din version"]
    assert list(both.iloc[0]) == ["note", "Bertils anteckning", "Annas anteckning"]
    assert store.current_state(engine)["places"][row.row_id].values["note"] == "Bertils anteckning"


def test_history_shows_before_and_after_and_undoes_a_change():
    engine = database()
    row = next(r for r in store.current_state(engine)["memberships"].values() if r.values["name"] == "Oskarshamn")
    batch = store.apply(
        engine,
        [store.RowChange("memberships", "update", row.row_id, {**row.values, "certainty": "likely"}, row.version)],
        "bertil",
        "edit",
        "rättning",
    )
    at = log_in(open_page("app_pages/history.py", EDITORS))
    assert not at.exception
    listing = at.dataframe[0].value
    assert list(listing.iloc[0][["Nr", "Vem", "Slag", "Rader", "Anmärkning"]]) == [
        batch,
        "bertil",
        "redigering",
        "0 nya, 1 ändrade, 0 borttagna",
        "rättning",
    ]
    when = dt.datetime.strptime(listing.iloc[0]["När"], "%Y-%m-%d %H:%M")
    assert (
        abs(when - dt.datetime.now()).total_seconds() < 3 * 3600
    )  # Swedish time, within the hour's offset of this clock
    details = at.dataframe[1].value
    assert list(details.iloc[0][["Fält", "Före", "Efter"]]) == ["certainty", "stated", "likely"]

    at = next(b for b in at.button if b.label == f"Ångra ändring {batch}").click().run()
    assert at.success[0].value == f"Ändring {batch} ångrades som ändring {batch + 1}."
    assert store.current_state(engine)["memberships"][row.row_id].values == row.values


def test_a_project_name_with_html_stays_text_in_tables_and_on_the_map():
    engine = database()
    name = '<img src=x onerror="alert(1)"><b>Fet</b> & co'
    project = next(
        r for r in store.current_state(engine)["projects"].values() if r.values["id"] == "gruvkommuner_natverk"
    )
    store.apply(
        engine,
        [store.RowChange("projects", "update", project.row_id, {**project.values, "name": name}, project.version)],
        "anna",
        "edit",
    )

    at = open_page("app_pages/timeline.py")
    assert not at.exception
    assert name in set(at.dataframe[0].value["Namn"])  # a dataframe cell: shown as written, never as HTML

    dataset = store.load_from_database(engine)
    table = selection.membership_table(dataset)
    properties = maps.kommun_properties(table, dataset.population, "sv", dataset.projects)
    pajala = properties.set_index("kommun_kod").loc["2521", "projekt"]
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&lt;b&gt;Fet&lt;/b&gt; &amp; co" in pajala
    # The tooltip texts are a script of their own that the map loads: read as a browser
    # gets them, with JavaScript's escapes read back, the escaped text is there and no markup.
    shown = js_unescaped(with_published(maps.base_map(properties, dataset.networks).get_root().render()))
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in shown
    assert "<img src=x" not in shown and "<b>Fet" not in shown


def test_a_write_from_elsewhere_shows_on_the_next_rerun():
    """Another process (the CLI, another server of a shared deployment) writes; the
    page's caches follow the database's revision."""
    at = open_page("app_pages/overview.py")
    at.multiselect(key="f_networks_sv").set_value(["industrikommuner"]).run()
    kommuner = next(df.value for df in at.dataframe if "Kommunkod" in df.value.columns)
    assert "Falun" not in set(kommuner["Kommun"])
    engine = database()
    sheets, problems = uploads.read_upload(
        "ny.csv", (HEADER + "\nindustrikommuner;;Falun;SE;member;2024;;https://example.se/a;stated;\n").encode()
    )
    store.apply(engine, uploads.plan_upload(engine, sheets, "upsert", problems).changes, "cli:bertil", "import")
    at.run()
    kommuner = next(df.value for df in at.dataframe if "Kommunkod" in df.value.columns)
    assert "Falun" in set(kommuner["Kommun"])


OIDC = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "test",
        "client_id": "kommunkartan",
        "client_secret": "test",
        "server_metadata_url": "https://login.example.se/.well-known/openid-configuration",
    },
    "editing": {"oidc_editors": ["@ljusdal.se"]},
}


def test_oidc_login_lets_in_allowed_addresses_only():
    def as_user(user):
        at = AppTest.from_file(str(paths.APP_SCRIPT), default_timeout=60)
        for key, value in OIDC.items():
            at.secrets[key] = value
        at.user = user
        at.run()
        return at.switch_page("app_pages/edit.py").run()

    logged_out = as_user({"is_logged_in": False})
    assert [b.label for b in logged_out.button if "organisationens" in b.label] == [
        "Logga in med organisationens konto"
    ]
    assert not logged_out.text_input  # no password form without [editing.users]

    stranger = as_user({"is_logged_in": True, "email": "eve@example.se"})
    # The address is data: escaped for Markdown, it shows as written.
    assert unescaped(stranger.warning[0].value).startswith("eve@example.se är inloggad men får inte redigera.")
    assert not stranger.file_uploader and not stranger.dataframe

    editor = as_user({"is_logged_in": True, "email": "Anna@Ljusdal.se"})
    assert not editor.exception
    assert "Inloggad som **Anna@Ljusdal.se**" in [unescaped(m.value) for m in editor.sidebar.markdown]
    assert editor.radio(key="kk_edit_mode").value == "table"


def test_a_write_from_elsewhere_shows_in_the_tables_made_once_per_network_and_kommun():
    """The network page's tables and the overview's kommun panel are made once for all
    sessions (ui/panels.py shown_table, ui/data.py kommun_detail): after a write from
    another process, the next rerun shows the new member, not the table made before."""
    from .test_app import open_network_page

    network = open_network_page(open_page("app_pages/overview.py"), "industrikommuner")
    assert "Falun" not in set(network.dataframe[0].value["Kommun"])
    panel = open_page("app_pages/overview.py")
    panel.selectbox(key="kommun_select").set_value("2080").run()  # Falun
    assert panel.subheader[0].value == "Falun"
    before = set(panel.dataframe[0].value["Nätverk"])
    assert "Nätverket för starka industrikommuner" not in before

    engine = database()
    sheets, problems = uploads.read_upload(
        "ny.csv", (HEADER + "\nindustrikommuner;;Falun;SE;member;2024;;https://example.se/a;stated;\n").encode()
    )
    store.apply(engine, uploads.plan_upload(engine, sheets, "upsert", problems).changes, "cli:bertil", "import")

    network.run()
    members = network.dataframe[0].value
    assert "Falun" in set(members["Kommun"])
    assert members.loc[members["Kommun"] == "Falun", "Källa"].tolist() == ["https://example.se/a"]
    panel.run()
    assert set(panel.dataframe[0].value["Nätverk"]) == before | {"Nätverket för starka industrikommuner"}
