"""Common random numbers: one random stream per decision, with stable per-person draws.

Every stochastic decision (finding a job, passing an exam, ...) has a named stream. A draw is a pure
function of (run seed, stream name, model month, person index): each (stream, month) gets its own
generator from a ``SeedSequence`` keyed on exactly those, so the draws a person gets for one
decision never depend on how many draws other decisions, or other months, consumed. Two scenarios
run on the same seed therefore differ only through policy: a policy that changes who is *eligible*
for a decision changes who uses their draw, not the draw itself.

Usage in a pathway::

    u = model.random.uniform("job_find", t)   # one U(0,1) per person, length n
    finds = eligible & (u < p)
"""

from __future__ import annotations

import hashlib

import numpy as np


def _key(seed: int, name: str) -> int:
    digest = hashlib.blake2b(f"{seed}:{name}".encode(), digest_size=16).digest()
    return int.from_bytes(digest, "little")


class CommonRandom:
    """Named, counter-based random streams for one run.

    Args:
        seed: the run's seed (any non-negative integer; 0 is a seed like any other).
        n: number of persons; each call returns ``n`` draws.
    """

    def __init__(self, seed: int, n: int) -> None:
        if seed is None or seed < 0:
            raise ValueError("seed must be a non-negative integer")
        self.seed = int(seed)
        self.n = int(n)
        self._cache: dict[tuple[str, int], np.ndarray] = {}

    def uniform(self, name: str, t: int) -> np.ndarray:
        """``n`` U(0,1) draws for decision ``name`` at month ``t`` (month may be negative).

        Calling twice with the same arguments returns the same draws (the result is cached for the
        current month only; treat it as read-only).
        """
        key = (name, t)
        out = self._cache.get(key)
        if out is None:
            seq = np.random.SeedSequence(entropy=self.seed, spawn_key=(_key(0, name), t + 2**20))
            out = np.random.Generator(np.random.PCG64DXSM(seq)).random(self.n)
            if len(self._cache) > 64:
                self._cache.clear()
            self._cache[key] = out
        return out

    def normal(self, name: str, t: int = -999) -> np.ndarray:
        """``n`` standard normal draws (via the inverse CDF of :meth:`uniform`, so equally stable)."""
        from scipy.special import ndtri

        return ndtri(np.clip(self.uniform(name, t), 1e-12, 1 - 1e-12))

    def generator(self, name: str) -> np.random.Generator:
        """An ordinary Generator for set-up decisions that are not per-person-per-month
        (for example building households). Seeded from (seed, name) alone."""
        seq = np.random.SeedSequence(entropy=self.seed, spawn_key=(_key(0, "setup:" + name),))
        return np.random.Generator(np.random.PCG64DXSM(seq))
