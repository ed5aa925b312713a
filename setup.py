"""Ship the top-level ``schemas/`` folder inside the wheel as ``dangvien_data/_schemas``.

``schemas/`` stays the one source of the rules; ``build_py`` copies it next to the package code of a built
wheel, where :func:`dangvien_data.roster.schemas.default_schema_dir` finds it with ``importlib.resources``.
An editable install gets no copy: it reads the checkout's ``schemas/`` directly, so an edit takes effect.
Everything else about the package is declared in ``pyproject.toml``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithSchemas(build_py):
    """``build_py`` that also copies ``schemas/**/*.yaml`` into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        source = HERE / "schemas"
        target = Path(self.build_lib) / "dangvien_data" / "_schemas"
        if target.exists():
            shutil.rmtree(target)
        for path in sorted(source.rglob("*.yaml")):
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)


setup(cmdclass={"build_py": BuildWithSchemas})
