"""The words of the charts, stories and report live in one file per language
(``experiments/presentation/translations/<language>.yaml``), with the same keys in each."""

from __future__ import annotations

from experiments.presentation import i18n

#: sections only the Dutch file has (English outcome labels and summaries come from the declarations)
DUTCH_ONLY = {"outcomes", "scenario_summaries"}


def test_every_language_has_every_word():
    en = i18n.words("en")
    for lang in i18n.LANGUAGES:
        other = i18n.words(lang)
        assert set(other) - DUTCH_ONLY == set(en), lang
        for name, words in en.items():
            missing = set(words) - set(other[name])
            assert not missing, f"{lang}.yaml, section {name}: no words for {sorted(missing)}"
            assert all(isinstance(v, str) and v for v in other[name].values()), (lang, name)


def test_the_translation_files_are_package_data():
    import tomllib

    from model.config import ROOT

    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "presentation/translations/*.yaml" in data["experiments"]
    assert {p.name for p in i18n.FOLDER.glob("*.yaml")} == {f"{lang}.yaml" for lang in i18n.LANGUAGES}
