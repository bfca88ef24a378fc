"""Common random numbers: one random stream per decision, with stable per-person draws.

Every stochastic decision (finding a job, passing an exam, ...) has a named stream. A draw is a pure
function of (run seed, stream name, model month, person index): a 64-bit key for (seed, stream,
month) (a hash of seed and stream, advanced by the month with SplitMix64) is combined with the
person's index and mixed with the SplitMix64 output function,
so the draws a person gets for one decision never depend on how many draws other decisions, other
months or other persons consumed, and a pathway can draw for just the persons it needs. Two scenarios
run on the same seed therefore differ only through policy: a policy that changes who is *eligible*
for a decision changes who uses their draw, not the draw itself.

Usage in a pathway::

    u = model.streams.uniform("work.job", t, seekers)   # one U(0,1) per index in seekers
    found = seekers[u < p]
"""

from __future__ import annotations

import hashlib

import numba
import numpy as np


def _key(seed: int, name: str) -> int:
    digest = hashlib.blake2b(f"{seed}:{name}".encode(), digest_size=16).digest()
    return int.from_bytes(digest, "little")


_MASK = 0xFFFFFFFFFFFFFFFF
_GAMMA_INT = 0x9E3779B97F4A7C15
_GAMMA = np.uint64(_GAMMA_INT)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = (np.uint64(k) for k in (30, 27, 31, 11))


def _splitmix_numpy(base: int, idx: np.ndarray | slice | None, mixed: np.ndarray) -> np.ndarray:
    """U(0,1) for each index: the SplitMix64 output function applied to ``base + idx * gamma``
    (Steele, Lea & Flood 2014), so any subset of persons can be drawn without drawing the rest.

    The definition, in numpy: ``mixed`` holds ``arange(n) * gamma`` precomputed; unsigned array
    arithmetic wraps modulo 2**64 silently. The model draws with :func:`_splitmix`, the same
    arithmetic compiled into one pass (a test checks that the two agree to the bit).
    """
    x = np.add(mixed if idx is None else mixed[idx], np.uint64(base))
    tmp = np.empty_like(x)
    x ^= np.right_shift(x, _S30, out=tmp)
    x *= _M1
    x ^= np.right_shift(x, _S27, out=tmp)
    x *= _M2
    x ^= np.right_shift(x, _S31, out=tmp)
    x >>= _S11  # below 2**53: read as int64, converted exactly and faster than from uint64
    return np.multiply(x.view(np.int64), 1.0 / 9007199254740992.0)


@numba.njit(cache=True, nogil=True)
def _mix_one(x):  # pragma: no cover - compiled
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return np.int64(x >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@numba.njit(cache=True, nogil=True)
def _mix_range(base, mixed, start, stop):  # pragma: no cover - compiled
    part = mixed[start:stop]  # indexed from 0: no wrap-around check on each access
    out = np.empty(part.shape[0])
    for i in range(part.shape[0]):
        out[i] = _mix_one(part[i] + base)
    return out


@numba.njit(cache=True, nogil=True)
def _mix_take(base, mixed, idx):  # pragma: no cover - compiled
    out = np.empty(idx.shape[0])
    for i in range(idx.shape[0]):
        out[i] = _mix_one(mixed[np.uint64(idx[i])] + base)  # unsigned: no wrap-around check
    return out


def _splitmix(base: int, idx: np.ndarray | slice | None, mixed: np.ndarray) -> np.ndarray:
    """:func:`_splitmix_numpy` compiled: one pass over the draws instead of ten over arrays (the
    draws are about a tenth of a run's time in numpy). ``idx``: indices, a slice (step 1) or
    ``None`` for everyone."""
    b = np.uint64(base)
    if idx is None:
        return _mix_range(b, mixed, 0, len(mixed))
    if isinstance(idx, slice):
        start, stop, step = idx.indices(len(mixed))
        if step != 1:
            return _mix_take(b, mixed, np.arange(start, stop, step))
        return _mix_range(b, mixed, start, max(start, stop))
    idx = np.asarray(idx)
    return _mix_take(b, mixed, idx.astype(np.int64, copy=False)).reshape(idx.shape)


class CommonRandom:
    """Named, counter-based random streams for one run.

    Args:
        seed: the run's seed (any non-negative integer; 0 is a seed like any other).
        n: number of persons; a call without ``idx`` returns ``n`` draws.
    """

    def __init__(self, seed: int, n: int) -> None:
        if seed is None or seed < 0:
            raise ValueError("seed must be a non-negative integer")
        self.seed = int(seed)
        self.n = int(n)
        self._mixed = np.arange(self.n, dtype=np.uint64) * _GAMMA  #: index x gamma, per person
        self._keys: dict[str, int] = {}  #: per stream name

    def _base(self, name: str, t: int) -> int:
        """64-bit key of (seed, stream, month): the stream's key (a hash of seed and name, made
        once) advanced ``t + 2`` steps of SplitMix64, in plain integers (a few operations a call)."""
        k = self._keys.get(name)
        if k is None:
            k = self._keys[name] = _key(self.seed, name) & _MASK
        x = (k + (t + 2) * _GAMMA_INT) & _MASK
        x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
        return x ^ (x >> 31)

    def uniform(self, name: str, t: int, idx: np.ndarray | slice | None = None) -> np.ndarray:
        """U(0,1) draws for decision ``name`` at month ``t``: one per person, or one per index in
        ``idx`` (an array of indices or a slice). Person ``i`` gets the same draw whether it is
        asked for alone or with everyone.
        """
        return _splitmix(self._base(name, t), idx, self._mixed)

    def generator(self, name: str) -> np.random.Generator:
        """An ordinary Generator for set-up decisions that are not per-person-per-month
        (for example building households). Seeded from (seed, name) alone."""
        seq = np.random.SeedSequence(entropy=self.seed, spawn_key=(_key(0, "setup:" + name),))
        return np.random.Generator(np.random.PCG64DXSM(seq))
