"""q07 page: lambda and within-group correlation against the paths and selection frequency."""

from __future__ import annotations

import numpy as np

from mlhood.datasets import make_correlated_regression
from mlhood.explorer._spec import Page, SeededParams, bars, chart, line, result, slider, vline
from mlhood.linear_model import Lasso, lasso_path, ridge_path

GROUPS, SIZE, BOOTSTRAPS = 3, 3, 20


class Params(SeededParams):
    log10_lambda: float = slider(-1.0, -3.0, 0.5, 0.1, "Penalty lambda, as log10.")
    correlation: float = slider(0.9, 0.0, 0.99, 0.01, "Correlation of features within a group.")


def compute(p: Params) -> dict:
    X, y, coef = make_correlated_regression(
        n_samples=80,
        n_groups=GROUPS,
        group_size=SIZE,
        correlation=p.correlation,
        truth="sparse",
        n_informative=2,
        random_state=p.seed,
    )
    X = (X - X.mean(0)) / X.std(0)
    y = y - y.mean()
    alphas = np.logspace(0.5, -3, 40)
    _, lasso_coefs, _ = lasso_path(X, y, alphas=alphas)
    _, ridge_coefs = ridge_path(X, y, alphas=alphas * 2 * len(y))  # same scale as the Lasso's
    lam = 10.0**p.log10_lambda
    rng = np.random.default_rng(p.seed)
    picked = np.zeros(X.shape[1])
    for _ in range(BOOTSTRAPS):
        rows = rng.integers(0, len(y), len(y))
        picked += Lasso(alpha=lam).fit(X[rows], y[rows]).coef_ != 0
    names = [f"g{j // SIZE}.{j % SIZE}{'*' if coef[j] else ''}" for j in range(X.shape[1])]
    paths = lambda coefs: [line(alphas, coefs[j], names[j]) for j in range(X.shape[1])]  # noqa: E731
    charts = [
        chart(
            "lasso",
            "Lasso path (* = truly nonzero)",
            paths(lasso_coefs),
            ["mlhood.linear_model.lasso_path", "mlhood.linear_model.enet_path"],
            x="lambda",
            y="coefficient",
            xlog=True,
            shapes=[vline(lam)],
        ),
        chart(
            "ridge",
            "Ridge path (penalty 2n lambda, the Lasso's scale)",
            paths(ridge_coefs),
            ["mlhood.linear_model.ridge_path"],
            x="lambda",
            y="coefficient",
            xlog=True,
            shapes=[vline(lam)],
        ),
        chart(
            "selection",
            f"Lasso selection frequency over {BOOTSTRAPS} bootstraps",
            [bars(names, picked / BOOTSTRAPS, "selected")],
            ["mlhood.linear_model.Lasso.fit"],
            x="feature (group.member)",
            y="share selected",
        ),
    ]
    fit = Lasso(alpha=lam).fit(X, y)
    numbers = {
        "features selected (full data)": int((fit.coef_ != 0).sum()),
        "truly nonzero": int((coef != 0).sum()),
        "unstable selections (0.2 < freq < 0.8)": int(
            ((picked / BOOTSTRAPS > 0.2) & (picked / BOOTSTRAPS < 0.8)).sum()
        ),
    }
    return result(charts, numbers)


PAGE = Page(
    "q07",
    "Ridge against Lasso on correlated features",
    "Raise the correlation within groups and watch the Lasso pick one member of a group "
    "almost at random (its selection frequency splits), while Ridge shares the weight; move "
    "lambda along both paths.",
    Params,
    compute,
)
