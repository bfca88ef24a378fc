"""The lifecycle every pathway shares.

A pathway is one module with

- ``PARAMS``: its behavioural parameters (:class:`model.parameters.Param`), read from
  ``params.<name>`` in the config;
- a :class:`Pathway` subclass with ``name``, ``initialise()`` (state at the cohort's start) and
  ``step(t)`` (one month, vectorised over people).

``step`` works on the persons followed this month, ``s = self.model.live``: a slice, because
households are ordered by their last member's permit month (the slice also holds family members who
have not arrived yet: every rule leaves persons who are not present alone). ``ppl.language[s]`` is a view (writing to it writes the state), a mask
over it gives positions, and ``s.start + np.flatnonzero(mask)`` gives person indices, which are
what random draws (:meth:`uniform`) and writes by index take. ``self.model.now``
(:class:`model.people.Month`) holds what most pathways read about that range, computed once a
month: ages and the residence masks (``housed``, ``in_reception``, ``present``); a pathway that
changes anyone's residence calls ``self.model.now.moved()``.

Both methods are abstract: a pathway that forgets one fails when the model is built, not silently.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar


class Pathway(ABC):
    """Base class of all pathways.

    Attributes:
        model: the :class:`model.model.IntegrationModel` that owns the state.
        people: the model's :class:`model.people.People`.
        p: this pathway's parameter values (``params.<name>``).
        policy: the run's :class:`model.policy.Policy`.
    """

    name: ClassVar[str]

    def __init__(self, model) -> None:
        self.model = model
        self.people = model.people
        self.p = getattr(model.params, self.name)
        self.policy = model.policy

    def uniform(self, stream: str, t: int, idx=None):
        """Stable per-person U(0,1) draws for this pathway's decision ``stream`` at month ``t``,
        for everyone or for the persons in ``idx`` (indices or a slice, such as the live range:
        cheaper than indices when most of the range needs a draw)."""
        return self.model.streams.uniform(f"{self.name}.{stream}", t, idx)

    @abstractmethod
    def initialise(self) -> None:
        """Set this pathway's state at model month 0."""

    @abstractmethod
    def step(self, t: int) -> None:
        """Advance this pathway by one month (model month ``t``)."""
