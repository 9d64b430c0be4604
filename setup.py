"""The wheel carries the app that sits at the top of the checkout.

``app.py``, ``app_pages/``, ``data/`` and ``geodata/`` live beside the package, as a Streamlit
project's do; the build copies them into ``kommunkarta/_site/`` so that the installed
``kommunkarta run`` needs no checkout. ``kommunkarta/paths.py`` names the parts and finds
them in either place. An editable install copies nothing: the package finds them in the
checkout. Everything else is declared in pyproject.toml.
"""

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def _paths():
    spec = importlib.util.spec_from_file_location("_kommunkarta_paths", HERE / "kommunkarta" / "paths.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildPyWithSite(build_py):
    """build_py, then the top-level app files into ``kommunkarta/_site/``."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "kommunkarta" / "_site"
        for name, is_folder, patterns in _paths().SITE_PARTS:
            source = HERE / name
            if not is_folder:
                self.mkpath(str(target))
                self.copy_file(str(source), str(target / name))
                continue
            files = sorted({f for pattern in patterns for f in source.glob(pattern) if f.is_file()})
            if not files:
                raise FileNotFoundError(f"{source}: nothing to put in the wheel")
            self.mkpath(str(target / name))
            for file in files:
                self.copy_file(str(file), str(target / name / file.name))


setup(cmdclass={"build_py": BuildPyWithSite})
