"""The package is versioned with the jar: pyproject.toml and __version__ carry the Maven project version."""

import pathlib
import re
import xml.etree.ElementTree as ET

import cxml_pyspark

PROJECT = pathlib.Path(__file__).resolve().parents[2]


def pep440(maven_version: str) -> str:
    """0.1.0-SNAPSHOT -> 0.1.0.dev0 (a snapshot is a development release); a release version stays as it is."""
    return re.sub(r"-SNAPSHOT$", ".dev0", maven_version)


def test_the_python_version_is_the_maven_version():
    pom = ET.parse(PROJECT / "pom.xml").getroot()
    maven = pom.find("{http://maven.apache.org/POM/4.0.0}version").text
    pyproject = re.search(r'^version = "([^"]+)"', (PROJECT / "python" / "pyproject.toml").read_text(), re.M).group(1)

    assert pyproject == pep440(maven)
    assert cxml_pyspark.__version__ == pyproject
