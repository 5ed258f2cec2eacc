"""publiccode.yml follows the publiccode.yml standard 0.4 (mandatory keys, allowed values), with the EUPL.

PyYAML is not among the dependencies: `load` reads the block-style subset of YAML the file uses
(mappings, lists, `>`/`|` block scalars, quoted scalars) and fails loudly on anything else.
"""
import re
from pathlib import Path

from fieldapp.config import VERSION

ROOT = Path(__file__).resolve().parents[1]


def scalar(text):
    text = text.strip()
    if text[:1] in "\"'":
        assert text[-1] == text[0], f"unterminated quote: {text}"
        return text[1:-1]
    return {"true": True, "false": False}.get(text, text)


def load(text):
    """The YAML subset of publiccode.yml as Python objects."""
    lines = [(len(line) - len(line.lstrip(" ")), line.strip()) for line in text.splitlines()
             if line.strip() and not line.strip().startswith("#")]
    value, end = block(lines, 0, 0)
    assert end == len(lines), f"unparsed from line {lines[end]}"
    return value


def block(lines, i, indent):
    if lines[i][1].startswith("- "):
        items = []
        while i < len(lines) and lines[i][0] == indent and lines[i][1].startswith("- "):
            rest = lines[i][1][2:]
            if re.match(r"^[\w-]+:", rest):  # a list of mappings: "- key: value" then more keys
                lines[i] = (indent + 2, rest)
                item, i = block(lines, i, indent + 2)
            else:
                item, i = scalar(rest), i + 1
            items.append(item)
        return items, i
    mapping = {}
    while i < len(lines) and lines[i][0] == indent:
        match = re.match(r"^([\w/-]+):(?:\s+(.*))?$", lines[i][1])
        assert match, f"not a mapping line: {lines[i][1]}"
        key, rest = match.group(1), (match.group(2) or "").strip()
        i += 1
        if rest in (">", ">-", "|", "|-"):
            parts = []
            while i < len(lines) and lines[i][0] > indent:
                parts.append(lines[i][1])
                i += 1
            mapping[key] = (" " if rest.startswith(">") else "\n").join(parts)
        elif rest:
            mapping[key] = scalar(rest)
        else:
            assert i < len(lines) and lines[i][0] > indent, f"{key} has no value"
            mapping[key], i = block(lines, i, lines[i][0])
    return mapping, i


def test_publiccode_yml_has_the_mandatory_keys_of_the_standard():
    code = load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))
    for key in ("publiccodeYmlVersion", "name", "url", "platforms", "categories", "developmentStatus",
                "softwareType", "description", "legal", "maintenance", "localisation"):
        assert key in code, key
    assert code["publiccodeYmlVersion"] == "0.4"
    assert code["url"].startswith("https://") and "REPLACE-AT-PUBLICATION" in code["url"]
    assert code["softwareVersion"] == VERSION
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", code["releaseDate"])
    assert code["developmentStatus"] in ("concept", "development", "beta", "stable", "obsolete")
    assert code["softwareType"] in ("standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web",
                                    "standalone/backend", "standalone/other", "addon", "library",
                                    "configurationFiles")
    assert "web" in code["platforms"] and code["categories"]
    for lang in ("it", "en"):
        text = code["description"][lang]
        assert 0 < len(text["shortDescription"]) <= 150, lang
        assert 150 <= len(text["longDescription"]) <= 10000, lang
        assert len(text["features"]) >= 3, lang
    assert code["legal"]["license"] == "EUPL-1.2"
    assert code["maintenance"]["type"] in ("internal", "contract", "community", "none")
    if code["maintenance"]["type"] in ("internal", "community"):
        assert code["maintenance"]["contacts"][0]["name"]
    assert code["localisation"]["localisationReady"] is True
    assert set(code["localisation"]["availableLanguages"]) == {"it", "en"}
    assert code["organisation"]["uri"] == "urn:x-italian-pa:c_d150"
    assert code["it"]["countryExtensionVersion"] == "1.0" and code["it"]["riuso"]["codiceIPA"] == "c_d150"


def test_the_licence_file_is_the_eupl_1_2_and_the_readme_says_to_set_the_url():
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("EUROPEAN UNION PUBLIC LICENCE v. 1.2")
    assert "Compatible Licences" in licence and len(licence) > 12000
    assert "publiccode.yml" in (ROOT / "README.md").read_text(encoding="utf-8")
