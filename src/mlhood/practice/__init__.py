"""Practice mode: write a technique yourself, have it graded, get the mistake named.

``mlhood practice start ID`` writes a starter file, ``mlhood practice check ID`` grades
it in a sandboxed child process with hidden property-based graders, and names the
catalogued mistake (:mod:`mlhood.mistakes`) when the output matches a known wrong
version. The exercises live in :mod:`mlhood.practice.exercises`; what an exercise is
(the contract) in :mod:`mlhood.practice._exercise`.

Examples
--------
>>> from mlhood.practice import exercises
>>> len(exercises.all_exercises()) >= 3
True
"""
