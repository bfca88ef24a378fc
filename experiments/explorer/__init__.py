"""The interactive explorer: ``python -m experiments.dashboard`` (a Solara app on 127.0.0.1).

- :mod:`~experiments.explorer.setting`: what the controls set, and the scenario file and comparison
  command that reproduce it;
- :mod:`~experiments.explorer.runner`: paired runs of a setting against the baseline with the
  comparison's machinery, cached on disk;
- :mod:`~experiments.explorer.charts`: the charts; :mod:`~experiments.explorer.app`: the page;
- :mod:`~experiments.explorer.bridge`: everything taken from the rest of ``experiments/``;
- :mod:`~experiments.explorer.server`: starting the server offline, on 127.0.0.1 only.
"""
