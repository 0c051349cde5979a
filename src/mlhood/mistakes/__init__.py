"""The catalogue of named implementation mistakes.

Each mistake holds the wrong version of one function of the library (dropout's backward
without the mask, a soft threshold replaced by a hard one, ...) and swaps it in for the
duration of a ``with`` block. The correct code carries no flags: the wrong versions live
here. The labs name the mistakes each of their claims catches; ``mlhood labs --mistake
ID`` shows what a mistake does; practice mode names the mistake a learner made.

Examples
--------
>>> from mlhood import mistakes
>>> m = mistakes.get("dropout-backward-no-mask")
>>> m.changes
'mlhood.nn._layers.Dropout.backward'
>>> with mistakes.applied(m.id):
...     pass
"""

from mlhood.mistakes._catalogue import Mistake, active, applied, catalogue, get, mistake

__all__ = ["Mistake", "active", "applied", "catalogue", "get", "mistake"]
