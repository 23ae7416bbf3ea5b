"""Citation and licence files: CITATION.cff is valid and carries the book's version everywhere it is written; the
licences are named in the files readers and tools look at."""

import json
import re
import tomllib

import jsonschema
import yaml

import book
from book.paths import ROOT


def _cff() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_cff_is_valid_against_the_cff_schema():
    schema = json.loads((ROOT / "tests" / "schemas" / "citation-file-format-1.2.0.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(_cff(), schema)


def test_one_version_everywhere():
    version = book.__version__
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))["version"]
    cff = _cff()
    landing = re.findall(r"version\s*=\s*\{([^}]*)\}", (ROOT / "index.md").read_text(encoding="utf-8"))
    assert {pyproject, package, str(cff["version"]), str(cff["preferred-citation"]["version"]), *landing} == {version}
    assert len(landing) >= 2, "the landing page gives BibTeX for the book and for a chapter"


def test_repository_is_the_one_the_buttons_point_to():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert config["html"]["use_repository_button"] and config["html"]["use_issues_button"]
    assert _cff()["repository-code"] == config["repository"]["url"]


def test_licences_are_complete_and_named():
    mit = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in mit and 'THE SOFTWARE IS PROVIDED "AS IS"' in mit
    cc = (ROOT / "LICENSE-CC-BY-4.0").read_text(encoding="utf-8")
    for section in range(1, 9):
        assert f"Section {section} -- " in cc
    assert "Creative Commons Attribution 4.0 International Public License" in cc
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert [lic["name"] for lic in package["licenses"]] == ["CC-BY-4.0"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "MIT License" in readme and "CC BY 4.0" in readme and "Zenodo" in readme
    assert set(_cff()["license"]) == {"MIT", "CC-BY-4.0"}
