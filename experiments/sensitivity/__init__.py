"""Which assumptions drive the answer: ``python -m experiments.sensitivity [key=value ...]``.

(Draft docstring; completed below.)
"""
