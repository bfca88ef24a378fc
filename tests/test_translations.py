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


def test_a_scenario_file_names_itself_in_both_languages(tmp_path, monkeypatch):
    """An advocate names their own scenario in its file (``scenario_info.name_en/name_nl``,
    ``summary_en/summary_nl``); charts and reports use those names, without a code change. A
    shipped scenario without them keeps the names of the translation files."""
    import model.config
    from experiments.presentation import i18n

    (tmp_path / "eigen_plan.yaml").write_text(
        "scenario_info:\n  demand: D3\n  summary: Coaching for everyone\n"
        "  name_en: Coaching for all\n  name_nl: Begeleiding voor iedereen\n"
        "  summary_nl: Iedereen krijgt begeleiding naar werk\n"
        "policy:\n  job_coaching: 2.0\n", encoding="utf-8")
    shipped = i18n.scenario_name("baseline", "nl")
    monkeypatch.setattr(model.config, "SCENARIO_DIR", tmp_path)
    assert i18n.scenario_name("eigen_plan", "nl") == "Begeleiding voor iedereen"
    assert i18n.scenario_name("eigen_plan", "en") == "Coaching for all"
    assert i18n.scenario_summary("eigen_plan", "Coaching for everyone", "nl") == \
        "Iedereen krijgt begeleiding naar werk"
    assert i18n.scenario_summary("eigen_plan", "Coaching for everyone", "en") == "Coaching for everyone"
    assert i18n.scenario_name("baseline", "nl") == shipped  # no file here: the translation files' name
