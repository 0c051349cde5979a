"""Mistakes in the ANOVA F-test of :func:`mlhood.feature_selection.f_classif` (lab q15)."""

from __future__ import annotations

import numpy as np
from scipy.special import fdtrc
from sklearn.utils.validation import check_X_y

from mlhood.feature_selection import _univariate
from mlhood.mistakes._catalogue import mistake


@mistake(
    "f-classif-ratio-inverted",
    title="ANOVA F divides the within-class variance by the between-class variance",
    target="mlhood.feature_selection._univariate:f_classif",
    labs=["q15"],
    explanation="""
The F-statistic is (between-class mean square) / (within-class mean square): large when
the class means differ a lot compared with the spread inside each class. Swapping the two
makes F small for exactly the useful features, so SelectKBest keeps the worst columns and
the p-values no longer follow the F distribution. Remember what F measures: signal
(differences of means) over noise (spread around each mean).
""",
)
def f_classif_inverted(X, y):
    """Wrong: within / between instead of between / within."""
    X, y = check_X_y(X, y, dtype=np.float64)
    between, within, n_classes = _univariate.anova_sums_of_squares(X, y)
    df_between, df_within = n_classes - 1, X.shape[0] - n_classes
    with np.errstate(divide="ignore", invalid="ignore"):
        F = (within / df_within) / (between / df_between)
    return F, fdtrc(df_between, df_within, F)


@mistake(
    "f-classif-between-dof",
    title="ANOVA F divides the between-class sum of squares by K instead of K - 1",
    target="mlhood.feature_selection._univariate:f_classif",
    labs=["q15"],
    explanation="""
K class means around one overall mean have K - 1 degrees of freedom (they must average to
the overall mean), so the between-class mean square is SS_between / (K - 1). Dividing by K
shrinks F by (K - 1) / K: with two classes it halves F, p-values grow and a test at 5%
rejects true nulls far less than 5% of the time. The ranking of features is unchanged, so
only a check of the p-values' null distribution (uniform) or of F = t^2 shows it.
""",
)
def f_classif_between_dof(X, y):
    """Wrong: SS_between / K."""
    X, y = check_X_y(X, y, dtype=np.float64)
    between, within, n_classes = _univariate.anova_sums_of_squares(X, y)
    df_within = X.shape[0] - n_classes
    with np.errstate(divide="ignore", invalid="ignore"):
        F = (between / n_classes) / (within / df_within)
    return F, fdtrc(n_classes - 1, df_within, F)
