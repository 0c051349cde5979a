"""Figures of lab q06 (A/B testing): A/A p-values, peeking, the cost of unequal splits."""

from __future__ import annotations

from mlhood.labs._figures import new_figure


def aa_figure(pvalues, alpha):
    """Histogram of A/A p-values against the uniform density, p < alpha shaded."""
    fig, ax = new_figure()
    ax.hist(pvalues, bins=20, range=(0, 1), color="#4c72b0", edgecolor="white")
    ax.axhline(len(pvalues) / 20, color="black", linestyle="--", label="uniform")
    ax.axvspan(0, alpha, color="#dd8452", alpha=0.3, label=f"p < {alpha}")
    ax.set(xlabel="p-value", ylabel="experiments", title="A/A tests: p-values are uniform")
    ax.legend()
    return fig


def peeking_figure(null, known_sizes, alpha, days):
    """False-positive rate of each procedure against the number of looks."""
    looks = sorted(known_sizes)
    fig, ax = new_figure()
    for name, style in (
        ("naive peeking", "o-"),
        ("mSPRT", "s-"),
        ("O'Brien-Fleming", "^-"),
        ("Pocock", "v-"),
    ):
        ax.plot(looks, [null[(name, k)]["rate"] for k in looks], style, label=name)
    ax.plot(looks, [known_sizes[k] for k in looks], "k:", label="known size of peeking")
    ax.axhline(alpha, color="black", linestyle="--", label="alpha")
    ax.set(
        xlabel=f"number of looks over {days} days",
        ylabel="false-positive rate (A/A)",
        title="Peeking inflates false positives",
    )
    ax.legend()
    return fig


def split_figure(rows):
    """Total users needed for 80% power by control/treatment split."""
    fig, ax = new_figure()
    labels = [row["split"] for row in rows]
    ax.bar(labels, [row["total_users"] for row in rows], color="#55a868")
    ax.set(
        xlabel="control/treatment split (%)",
        ylabel="total users for 80% power",
        title="10% -> 12%: unequal splits cost users",
    )
    return fig
