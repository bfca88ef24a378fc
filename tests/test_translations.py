"""The words of the charts, stories and report live in one file per language
(``experiments/presentation/translations/<language>.yaml``), with the same keys in each."""

from __future__ import annotations

from experiments.presentation import i18n

#: sections only the Dutch file has (English outcome labels, summaries and the evidence's reasoning
#: come from the declarations and data files)
DUTCH_ONLY = {"outcomes", "scenario_summaries", "evidence_basis"}


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


def test_every_lever_has_its_words_and_its_source_in_every_language():
    """The report names each lever, its unit and where its setting comes from in words (sections
    ``explorer`` and ``lever_sources``). The words of a source were written from its declaration in
    model/policy.py; when a declaration changes, this fails until the words and the copy of the
    declarations in tests/data/lever_sources_declared.yaml are brought up to date."""
    from pathlib import Path

    import yaml

    from model.policy import LEVERS

    for lang in i18n.LANGUAGES:
        for p in LEVERS:
            assert i18n.lever_name(p.name, lang) != p.name.replace("_", " "), (lang, p.name)
            assert i18n.lever_unit(p.name, lang), (lang, p.name)
            assert p.name in i18n.words(lang)["lever_sources"], f"{lang}.yaml lever_sources: no {p.name}"
            for v in p.choices:
                assert f"{p.name}.{v}" in i18n.words(lang)["lever_values"], f"{lang}.yaml lever_values: no {p.name}.{v}"
    copy = yaml.safe_load((Path(__file__).parent / "data" / "lever_sources_declared.yaml").read_text(encoding="utf-8"))
    changed = sorted(p.name for p in LEVERS if copy.get(p.name) != p.source)
    assert not changed, (f"the declared source of {changed} changed (model/policy.py): say it for readers in "
                         "lever_sources of en.yaml and nl.yaml, then copy the declaration to "
                         "tests/data/lever_sources_declared.yaml")


def test_the_evidence_of_every_demand_is_said_in_dutch():
    """Each row's reasoning in model/data/demand_evidence.csv has a Dutch translation of its current
    English (nl.yaml, ``evidence_basis``), so the Dutch report never shows the English."""
    from experiments.runs.demands import demand_evidence

    ev, note = demand_evidence()
    assert ev is not None, note
    stale = [f"{r.demand}_{r.horizon_years}" for r in ev.itertuples()
             if i18n.evidence_basis(r.demand, r.horizon_years, r.basis, "nl") == r.basis]
    assert not stale, f"nl.yaml evidence_basis: no Dutch for the current English of {stale}"


def test_numbers_and_money_are_written_as_the_language_writes_them():
    from experiments.presentation.report.numbers import eur

    assert i18n.number(14416.4, "nl", 0) == "14.416" and i18n.number(3.45, "nl", 1) == "3,5"
    assert i18n.number(14416.4, "en", 0) == "14,416" and i18n.number(-0.04, "nl", 1, sign=True) == "0,0"
    assert eur(-14416.0, "nl", sign=True) == "\u2212€ 14.416" and eur(1291.0, "en") == "€1,291"
    assert i18n.lever_value("discrimination", 0.15, "nl") == "0,15"
    assert i18n.lever_value("dual_track", True, "nl") == "ja" and i18n.lever_value("dual_track", False, "en") == "no"
    assert i18n.lever_value("placement", "matched", "nl").startswith("gekoppeld")
    assert i18n.lever_value("law", 2013, "nl") == "Wet inburgering 2013"
    assert i18n.group_in_text("origin=Syria", "nl") == "Syrië" and i18n.group_in_text("origin=Syria", "en") == "Syria"
    assert i18n.group_in_text("education=high", "en") == "higher education"
    assert i18n.date_text("2026-12-01", "nl") == "1 december 2026"
