"""A PEP 517 build backend for simcore: builds libsimcore with SwiftPM and packs a platform wheel.

It needs nothing from a package index (``requires = []``), so ``pip install ./Integrations/python``
works in a fresh virtual environment with no network. Steps of ``build_wheel``:

1. find the Swift package (the directory above this project holding ``Package.swift``, or
   ``SIMCORE_SWIFT_PACKAGE``);
2. ``swift build -c release --product simcore`` there (``--scratch-path $SIMCORE_SCRATCH_PATH``
   when set), output on stderr;
3. write ``simcore-VERSION-py3-none-PLATFORM.whl``: the Python sources, ``libsimcore.so`` (or
   ``.dylib``), ``simcore.h``, and the ``.dist-info`` files (METADATA, WHEEL, RECORD).
"""
import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
NAME = "simcore"


def _project_metadata():
    """Name, version, summary, Python requirement and extras from pyproject.toml."""
    text = (PROJECT / "pyproject.toml").read_text(encoding="utf-8")
    try:
        import tomllib

        project = tomllib.loads(text)["project"]
        return (project["version"], project["description"], project["requires-python"],
                project.get("optional-dependencies", {}))
    except ImportError:  # Python < 3.11: the few fields this backend writes, by pattern
        def field(key):
            return re.search(rf'^{key}\s*=\s*"([^"]*)"', text, re.MULTILINE).group(1)
        return field("version"), field("description"), field("requires-python"), {"numpy": ["numpy"], "test": ["pytest"]}


def _swift_package():
    override = os.environ.get("SIMCORE_SWIFT_PACKAGE")
    candidates = [Path(override)] if override else list(PROJECT.parents)
    for directory in candidates:
        manifest = directory / "Package.swift"
        if manifest.is_file() and 'name: "SimCore"' in manifest.read_text(encoding="utf-8"):
            return directory
    raise RuntimeError(
        "simcore: cannot find SimCore's Package.swift above " + str(PROJECT)
        + "; install from a SimCore checkout (pip install ./Integrations/python) or set SIMCORE_SWIFT_PACKAGE")


def _library_name():
    return "libsimcore.dylib" if sys.platform == "darwin" else "libsimcore.so"


def _build_library():
    """Builds libsimcore (release) and returns its path."""
    swift = shutil.which("swift")
    if swift is None:
        raise RuntimeError("simcore: the `swift` command is not on PATH; install Swift 6.1 or later (swift.org)")
    package = _swift_package()
    command = [swift, "build", "-c", "release", "--product", "simcore", "--package-path", str(package)]
    scratch = os.environ.get("SIMCORE_SCRATCH_PATH")
    if scratch:
        command += ["--scratch-path", str(Path(scratch) if os.path.isabs(scratch) else package / scratch)]
    print("simcore: " + " ".join(command), file=sys.stderr, flush=True)
    # The build's own output goes to stderr, where pip shows it with -v.
    result = subprocess.run(command, stdout=sys.stderr, stderr=sys.stderr)
    if result.returncode != 0:
        raise RuntimeError(f"simcore: swift build failed (exit status {result.returncode}); see the output above")
    bin_path = subprocess.run(command + ["--show-bin-path"], capture_output=True, text=True, check=True).stdout.strip()
    library = Path(bin_path) / _library_name()
    if not library.is_file():
        raise RuntimeError(f"simcore: swift build succeeded but {library} is missing")
    return package, library


def _platform_tag():
    return re.sub(r"[^A-Za-z0-9]", "_", sysconfig.get_platform())


def _metadata_text():
    version, summary, requires_python, extras = _project_metadata()
    lines = [
        "Metadata-Version: 2.1", f"Name: {NAME}", f"Version: {version}", f"Summary: {summary}",
        f"Requires-Python: {requires_python}",
    ]
    for extra, requirements in extras.items():
        lines.append(f"Provides-Extra: {extra}")
        lines += [f'Requires-Dist: {requirement}; extra == "{extra}"' for requirement in requirements]
    readme = PROJECT / "README.md"
    body = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    return "\n".join(lines) + "\nDescription-Content-Type: text/markdown\n\n" + body


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def _write_wheel(wheel_directory, files):
    """files: (name in the wheel, bytes, mode). Returns the wheel's file name."""
    version = _project_metadata()[0]
    tag = f"py3-none-{_platform_tag()}"
    wheel_name = f"{NAME}-{version}-{tag}.whl"
    dist_info = f"{NAME}-{version}.dist-info"
    files = list(files) + [
        (f"{dist_info}/METADATA", _metadata_text().encode(), 0o644),
        (f"{dist_info}/WHEEL", (
            "Wheel-Version: 1.0\nGenerator: simcore_build_backend\nRoot-Is-Purelib: false\n"
            f"Tag: {tag}\n").encode(), 0o644),
    ]
    record = [_record_line(name, data) for name, data, _ in files] + [f"{dist_info}/RECORD,,"]
    files.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode(), 0o644))
    path = Path(wheel_directory) / wheel_name
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as wheel:
        for name, data, mode in files:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(info, data)
    return wheel_name


# PEP 517 hooks -------------------------------------------------------------------------------


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    package, library = _build_library()
    files = []
    for source in sorted((PROJECT / "src" / NAME).glob("*.py")):
        files.append((f"{NAME}/{source.name}", source.read_bytes(), 0o644))
    files.append((f"{NAME}/py.typed", b"", 0o644))
    files.append((f"{NAME}/{library.name}", library.read_bytes(), 0o755))
    header = package / "Sources" / "CSimCore" / "include" / "simcore.h"
    files.append((f"{NAME}/include/simcore.h", header.read_bytes(), 0o644))
    return _write_wheel(wheel_directory, files)


def build_sdist(sdist_directory, config_settings=None):
    raise RuntimeError(
        "simcore has no source distribution of its own: it is built from a SimCore checkout "
        "(pip install ./Integrations/python), which holds the Swift sources it compiles")
