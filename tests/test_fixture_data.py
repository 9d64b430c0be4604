"""The fixture data folder (tests/fixtures/data) that behaviour tests count on: it is in
data/'s format, valid, and loaded in full, so that a test on it fails for the code's
sake and not the fixture's."""

from kommunkarta import schema

from .conftest import FIXTURE_DATA_DIR, read_csv, run_cli


def test_the_fixture_folder_validates():
    result = run_cli("validate", FIXTURE_DATA_DIR)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 nätverk, 22 medlemskap, 5 projekt, 3 platser" in result.stdout + result.stderr


def test_every_fixture_row_is_loaded(fixture_dataset):
    assert fixture_dataset.problems == []
    tables = {
        "networks.csv": fixture_dataset.networks,
        "memberships.csv": fixture_dataset.memberships,
        "projects.csv": fixture_dataset.projects,
        "places.csv": fixture_dataset.places,
        "population.csv": fixture_dataset.population,
        "seats.csv": fixture_dataset.seats,
        "municipal_centres.csv": fixture_dataset.centres,
        "facts.csv": fixture_dataset.facts,
    }
    assert set(tables) == set(schema.FILES)  # every file the format has, optional ones too
    for name, frame in tables.items():
        fields, rows = read_csv(FIXTURE_DATA_DIR / name)
        assert set(fields) == set(schema.FILES[name].model_fields), name  # data/'s columns, all of them
        assert len(frame) == len(rows) > 0, name


def test_the_fixture_data_says_it_is_test_data():
    readme = (FIXTURE_DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert "test data, not facts" in readme
    for name in ("networks.csv", "memberships.csv", "projects.csv", "places.csv", "facts.csv"):
        _, rows = read_csv(FIXTURE_DATA_DIR / name)
        assert all(r["source"].startswith("https://example.se/") for r in rows), name
