"""`pip install .` (not editable) gives a kumkm that runs from any folder: the dbt project, the suites
and the report's template ship as package data, and the code finds them through its packages.

The wheel is built from a copy of the sources (pip builds in place) and installed, without its
dependencies, into a fresh venv that reads them from this one's site-packages (a .pth file; the
network is not needed)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["pyproject.toml", "README.md", "kumkm", "ingestion", "orchestration", "expectations", "dbt_project"]
NOT_SOURCES = shutil.ignore_patterns("target", "logs", "__pycache__", ".user.yml", "*.egg-info")
# Package data: where each folder's files land in the wheel.
DATA = {"dbt_project": "kumkm/dbt_project", "expectations/suites": "expectations/suites",
        "kumkm/templates": "kumkm/templates"}


def wheel_of(sources: Path, dist: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(sources), "--no-deps", "--quiet", "-w", str(dist)],
                   check=True, capture_output=True)
    [wheel] = dist.glob("kumkm-*.whl")
    return wheel


def venv_with(wheel: Path, venv: Path) -> Path:
    """A fresh venv holding the wheel, its dependencies read from this venv's site-packages; returns
    its `kumkm` command. The .pth is written after installing, so that pip sees no other kumkm."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
                    "--ignore-installed", "--quiet", str(wheel)], check=True, capture_output=True)
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    (Path(site) / "kumkm_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv / "bin" / "kumkm"


def test_a_wheel_in_a_fresh_venv_runs_the_demo_from_any_folder(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, sources / name, ignore=NOT_SOURCES)
        else:
            shutil.copy(ROOT / name, sources / name)
    wheel = wheel_of(sources, tmp_path / "dist")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    for folder, packaged in DATA.items():
        files = {f"{packaged}/{path.relative_to(sources / folder).as_posix()}"
                 for path in (sources / folder).rglob("*") if path.is_file()}
        assert files and files <= shipped, sorted(files - shipped)
    assert not [name for name in shipped if "/target/" in name or name.endswith(".user.yml")]

    kumkm = venv_with(wheel, tmp_path / "venv")
    anywhere = tmp_path / "anywhere"
    anywhere.mkdir()
    env = {name: value for name, value in os.environ.items() if name not in ("KUMKM_HOME", "PYTHONPATH")}
    located = subprocess.run([str(kumkm.with_name("python")), "-c", "import kumkm.warehouse as w; print(w.DBT_PROJECT)"],
                             cwd=anywhere, env=env, check=True, capture_output=True, text=True).stdout.strip()
    assert Path(located).is_relative_to(tmp_path / "venv")  # the wheel's dbt project, not the repository's
    demo = subprocess.run([str(kumkm), "demo"], cwd=anywhere, env=env, capture_output=True, text=True, timeout=900)
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
    assert "Indicators s/d triwulan 4 2025" in demo.stdout
    assert "164.59" in next(line for line in demo.stdout.splitlines() if line.startswith("PRG-05"))
    assert "10,418,539,476.00" in demo.stdout  # the budget's realisasi in total
    assert (anywhere / ".kumkm" / "serving.duckdb").is_file()
