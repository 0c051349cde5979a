"""The lab runner: processes give the same numbers as one process, and mistakes reach them."""

from mlhood.labs._runner import run_labs


def _verdicts(results):
    return [(r.id, [(c.statement, c.evidence, c.holds) for c in r.claims]) for r in results]


def test_parallel_run_matches_serial_and_renders_figures():
    serial = run_labs(["q05", "q03"], seed=2, n_jobs=1)
    parallel = run_labs(["q05", "q03"], seed=2, n_jobs=2)
    assert _verdicts(parallel) == _verdicts(serial)
    assert [r.id for r in parallel] == ["q05", "q03"]
    for result in parallel:  # figures come back rendered, ready for the report
        assert result.figures
        assert all(png.startswith(b"\x89PNG") for png in result.figures.values())


def test_mistakes_are_applied_in_worker_processes():
    (clean,) = run_labs(["q03"], n_jobs=1)
    broken = run_labs(["q03", "q05"], n_jobs=2, mistakes=["dropout-backward-no-mask"])
    assert clean.claims[0].holds and not broken[0].claims[0].holds
