"""The explorer: ``mlhood serve`` runs the labs as pages you can move, computed live.

Each page (one per lab) has controls wired to a recomputation by mlhood's own library;
the page's whole state is in its URL; every chart opens the source of the mlhood
functions that produced it. Charts use Plotly.js as shipped inside the ``plotly`` Python
package's wheel: interactive hover, responsive on a phone, served from this machine, and
no JavaScript build step or vendored copy to keep up to date.
"""

from mlhood.explorer._serve import create_app, serve

__all__ = ["create_app", "serve"]
