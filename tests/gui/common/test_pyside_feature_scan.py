"""The cheaper "does this module use PySide6?" answers as PySide6's own does, and caches nothing."""

from __future__ import annotations

import linecache
import sys
import types
from pathlib import Path

from zinc_desktop.gui.common import pyside_feature_scan


def test_same_answers_as_pyside_for_every_loaded_module(tmp_path: Path) -> None:
    pyside_feature_scan.install()
    feature = sys.modules["shibokensupport.feature"]
    ours = feature._mod_uses_pyside
    assert ours.reads_bytes
    assert not pyside_feature_scan.install(), "a second install changes nothing"

    with_qt = tmp_path / "with_qt.py"
    with_qt.write_text("from PySide6.QtCore import QObject\n", "utf-8")
    without = tmp_path / "without.py"
    without.write_text("# é, and no Qt at all\nVALUE = 1\n", "latin-1")
    made = []
    for path in (with_qt, without):
        module = types.ModuleType(path.stem)
        module.__file__ = str(path)
        made.append(module)
    gone = types.ModuleType("gone")
    gone.__file__ = str(tmp_path / "deleted.py")

    answers = {}
    for module in [*list(sys.modules.values()), *made, gone]:
        if isinstance(module, types.ModuleType):
            answers[module.__name__] = (ours(module), ours.original(module))
    assert answers["with_qt"] == (True, True)
    assert answers["without"] == (False, False)
    assert answers["gone"] == (False, False)
    assert answers["zinc_desktop.gui.main_window"][0] is True
    assert answers["zinc_desktop.core.accounts.model"][0] is False
    differ = {name: pair for name, pair in answers.items() if pair[0] != pair[1]}
    assert not differ


def test_reading_a_module_leaves_nothing_in_linecache(tmp_path: Path) -> None:
    pyside_feature_scan.install()
    source = tmp_path / "fresh_module.py"
    source.write_text("import PySide6\n", "utf-8")
    module = types.ModuleType("fresh_module")
    module.__file__ = str(source)
    assert sys.modules["shibokensupport.feature"]._mod_uses_pyside(module)
    assert str(source) not in linecache.cache
