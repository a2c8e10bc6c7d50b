"""Builders of test data, shared by the test modules: the tiny hand-counted benchmark
(``tiny``), hand-written facts documents (``facts``), and hostile transcript text with the
checks that it stayed text (``hostile``).

A package of their own rather than fixtures, because tests call them with their own
arguments (a folder to write into, a facts document to edit) and at collection time
(``parametrize`` over ``facts.gemma``, ``facts.clean``); and rather than a test module,
so that no test imports another test module. tests/conftest.py holds the fixtures built
from them.
"""
