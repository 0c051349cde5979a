"""Figures of lab q10 (outliers): box plots, masking, a joint outlier, what to do next."""

from __future__ import annotations

import numpy as np

from mlhood.labs._figures import new_figure
from mlhood.outliers import ResidualDetector


def box_plot(data_by_kind):
    """Box plots (whiskers at 1.5 IQR) of the spike and cluster data, outliers marked."""
    fig, ax = new_figure()
    spikes, spike_mask = data_by_kind["spikes"]
    cluster, cluster_mask = data_by_kind["cluster"]
    ax.boxplot([spikes.ravel(), cluster.ravel()], whis=1.5)
    for position, (values, mask) in enumerate(
        [(spikes.ravel(), spike_mask), (cluster.ravel(), cluster_mask)], start=1
    ):
        ax.scatter(
            np.full(mask.sum(), position + 0.15),
            values[mask],
            s=12,
            color="#c44e52",
            label="injected outliers" if position == 1 else None,
        )
    ax.set_xticks([1, 2], ["spikes", "cluster at 6"])
    ax.set(ylabel="value", title="Box plots (whiskers at 1.5 IQR)")
    ax.legend()
    return fig


def masking_figure(data, mask):
    """Histogram of the cluster data with the z-score and MAD cut-offs."""
    fig, ax = new_figure()
    x = data.ravel()
    ax.hist([x[~mask], x[mask]], bins=40, stacked=True, label=["inliers", "outlier cluster"])
    mean, sd = x.mean(), x.std(ddof=1)
    median = np.median(x)
    robust_sd = np.median(np.abs(x - median)) / 0.6745
    ax.axvline(mean + 3 * sd, color="black", linestyle="--", label="mean + 3 sd (z-score)")
    ax.axvline(median + 3.5 * robust_sd, color="green", label="median + 3.5 MAD/0.6745")
    ax.set(xlabel="value", ylabel="count", title="Masking: the cluster inflates the sd")
    ax.legend(fontsize=8)
    return fig


def joint_figure(data, mask):
    """The regression data, the Huber line and its band, flagged rows circled."""
    fig, ax = new_figure()
    x, y = data[:, 0], data[:, 1]
    detector = ResidualDetector().fit(data)
    flagged = detector.predict(data) == -1
    ax.scatter(x[~mask], y[~mask], s=8, color="#4c72b0", label="inliers")
    ax.scatter(x[mask], y[mask], s=30, color="#c44e52", label="injected outliers")
    ax.scatter(
        x[flagged],
        y[flagged],
        s=90,
        facecolors="none",
        edgecolors="black",
        label="flagged by Huber residuals",
    )
    grid = np.linspace(x.min(), x.max(), 50)
    line = detector.estimator_.predict(grid[:, None])
    band = detector.threshold_ * detector.scale_
    ax.plot(grid, line, color="black")
    ax.fill_between(grid, line - band, line + band, color="grey", alpha=0.2)
    ax.set(xlabel="x", ylabel="y", title="Ordinary x and y, broken relation")
    ax.legend(fontsize=8)
    return fig


def downstream_figure(rmse, bias, noise_sd):
    """Test RMSE when outliers are errors; bias of the mean when they are real."""
    fig, (left, right) = new_figure(ncols=2, width=4.6)
    left.barh(list(rmse), list(rmse.values()), color="#55a868")
    left.axvline(noise_sd, color="black", linestyle="--", label="noise sd")
    left.set(xlabel="test RMSE", title="Outliers are errors")
    left.legend()
    right.barh(list(bias), [100 * v for v in bias.values()], color="#dd8452")
    right.axvline(0.0, color="black")
    right.set(xlabel="bias of the mean estimate (%)", title="Outliers are real")
    return fig
