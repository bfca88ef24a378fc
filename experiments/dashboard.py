"""The interactive explorer: ``python -m experiments.dashboard [port=8765] [language=en|nl]``.

Starts a Solara app on 127.0.0.1 (this machine only) and prints its address. Its controls set every
lever D1-D11, the scenario to start from and the cohort; its charts compare that setting with the
baseline on the same seeds, with 90% intervals, with the comparison's own machinery
(``experiments/explorer/``). Works offline: the front end comes from installed packages.
"""

from __future__ import annotations

import sys

from model.errors import ConfigError

USAGE = """python -m experiments.dashboard [port=8765] [language=en|nl]

Starts the interactive explorer on http://127.0.0.1:PORT/ (this machine only) and prints the
address; Ctrl+C stops it. Move the levers (D1-D11), pick a scenario to start from and the cohort;
the charts compare the setting with the baseline on the same seeds (participation and employment
over 10 years with 90% intervals, the effect by group, costs, the evidence, a person's story), and
the setting can be exported as a scenario file and as the comparison command that reproduces it.
Runs are cached under results/explorer/.

  port=8765        TCP port on 127.0.0.1 (1024-65535, free)
  language=en      en or nl: the page's language at start (a button switches it)
"""

DEFAULTS = {"port": 8765, "language": "en"}


def parse(args: list[str]) -> dict:
    """``key=value`` arguments -> settings.

    Raises:
        ConfigError: for an unknown key, a bad value or a port in use (names key, value, what is
            allowed).
    """
    from experiments.explorer.server import port_free

    out = dict(DEFAULTS)
    for a in args:
        key, sep, value = a.partition("=")
        if not sep or key not in DEFAULTS:
            raise ConfigError(key if sep else a, value if sep else "",
                              "port=N or language=en|nl (see --help)")
        if key == "port":
            if not value.isdigit() or not 1024 <= int(value) <= 65535:
                raise ConfigError("port", value, "a whole number from 1024 to 65535")
            out["port"] = int(value)
        else:
            if value not in ("en", "nl"):
                raise ConfigError("language", value, "en or nl")
            out["language"] = value
    if not port_free(out["port"]):
        raise ConfigError("port", out["port"], "a free port on 127.0.0.1 (this one is in use)")
    return out


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if any(a in ("-h", "--help", "help") for a in args):
        print(USAGE)
        return
    try:
        settings = parse(args)
    except ConfigError as e:
        print(f"error: {e}", file=sys.stderr)  # one line, as every command of the project
        raise SystemExit(2)
    from experiments.explorer.server import serve

    def ready(url: str) -> None:
        print(f"explorer: {url}  (language {settings['language']}; Ctrl+C stops it)", flush=True)

    try:
        serve(settings["port"], settings["language"], on_ready=ready)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
