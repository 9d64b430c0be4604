"""The layout of the repository (issue 20): the top-level parts where paths.py says, the
Streamlit configuration in agreement with `kommunkarta run`, and ARCHITECTURE.md naming
every module."""

import tomllib

from kommunkarta import paths
from kommunkarta.cli import run

from .conftest import ROOT

# Options of `kommunkarta run` that a checkout does not share, and why.
RUN_ONLY = {
    # A checkout is for changing: Streamlit Community Cloud and a developer want the
    # app to follow its files.
    "server.fileWatcherType": "none",
}


def _as_toml_value(text: str):
    if text in ("true", "false"):
        return text == "true"
    return int(text) if text.isdigit() else text


def test_the_checkout_holds_the_top_level_parts_where_paths_says():
    assert paths.SITE_DIR == ROOT  # an editable install: the checkout
    assert paths.APP_SCRIPT == ROOT / "app.py" and paths.APP_SCRIPT.is_file()
    assert paths.PAGES_DIR == ROOT / "app_pages" and (paths.PAGES_DIR / "overview.py").is_file()
    assert paths.DATA_DIR == ROOT / "data" and (paths.DATA_DIR / "networks.csv").is_file()
    assert paths.GEODATA_DIR == ROOT / "geodata" and (paths.GEODATA_DIR / "tatorter_2020.csv").is_file()
    # what setup.py copies into the wheel is there, and nothing curated sits in the package
    for name, is_folder, _patterns in paths.SITE_PARTS:
        assert (ROOT / name).is_dir() if is_folder else (ROOT / name).is_file()
    assert not any(paths.PACKAGE_DIR.glob("data/*.csv")) and not any(ROOT.glob("pages/*.py"))


def test_streamlit_config_carries_every_option_kommunkarta_run_passes():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    options = dict(zip(run.STREAMLIT_OPTIONS[::2], run.STREAMLIT_OPTIONS[1::2], strict=True))
    assert options.keys() >= {"--browser.gatherUsageStats", "--server.address", "--server.enableStaticServing"}
    for option, value in options.items():
        if RUN_ONLY.get(option.removeprefix("--")) == value:
            continue
        section, name = option.removeprefix("--").split(".")
        assert config.get(section, {}).get(name) == _as_toml_value(value), option


def test_architecture_names_every_module():
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    missing = []
    for path in sorted((ROOT / "kommunkarta").rglob("*.py")):
        relative = path.relative_to(ROOT / "kommunkarta")
        if "migrations" in relative.parts or path.name == "__init__.py" or relative.parts[0] == "i18n":
            continue  # i18n/ is one table per area of the interface, named as a folder
        if path.name not in text:
            missing.append(str(relative))
    assert missing == []
    for folder in ("app_pages/", "data/", "geodata/", "i18n/", "storage/migrations/"):
        assert f"`{folder}" in text, folder
