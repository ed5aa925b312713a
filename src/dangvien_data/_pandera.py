"""Register the dangvien_data checks with pandera whenever pandera is imported, so exported YAML loads back.

``dangvien schema export`` prints pandera YAML naming the custom checks (``dv_in_codes`` …);
``pandera.DataFrameSchema.from_yaml`` can only rebuild them once they are registered. ``import dangvien_data``
must stay cheap (no pandas), so it does not register them itself: :func:`install` registers them now if pandera
is already imported, else on pandera's own import, through a one-shot import hook.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import importlib.machinery
    import types
    from collections.abc import Sequence

__all__ = ["install"]


def _register() -> None:
    from dangvien_data.roster.schemas import register_checks

    register_checks(wait=False)  # never wait inside pandera's import (see register_checks)


class _OnPanderaImport:
    """Finds nothing itself: wraps the loader of ``pandera`` so the checks are registered once it has run.

    A meta path finder needs only ``find_spec`` (importlib.abc, and the imports it brings, would cost more than
    the rest of ``import dangvien_data``).
    """

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "pandera":
            return None
        import importlib.util

        sys.meta_path.remove(self)  # one shot; also keeps find_spec below from finding this finder again
        spec = importlib.util.find_spec(fullname)
        loader = spec.loader if spec is not None else None
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        run = loader.exec_module

        def exec_module(module: types.ModuleType) -> None:
            run(module)
            _register()

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def install() -> None:
    """Register the checks now if pandera is imported, else as soon as it is (idempotent)."""
    if "pandera" in sys.modules:
        _register()
    elif not any(isinstance(finder, _OnPanderaImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _OnPanderaImport())
