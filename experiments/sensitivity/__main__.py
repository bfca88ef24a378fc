"""``python -m experiments.sensitivity``: see :mod:`experiments.sensitivity`."""

from experiments.sensitivity.command import main

if __name__ == "__main__":
    main()
