"""The GitHub Actions workflow that users copy runs `make run` and keeps output/ as an artifact."""
import yaml


def test_workflow_runs_make_run_and_uploads_output(repo):
    wf = yaml.safe_load((repo / ".github/workflows/review.yml").read_text())
    triggers = wf.get("on", wf.get(True))  # YAML 1.1 reads a bare `on` as True
    assert "push" in triggers
    steps = [s for job in wf["jobs"].values() for s in job["steps"]]
    runs = [s.get("run", "") for s in steps]
    assert any(r.strip() == "make run" for r in runs)
    uploads = [s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact@")]
    assert uploads and uploads[0]["with"]["path"].rstrip("/") == "output"
    assert uploads[0].get("if") == "always()"
    make_step = runs.index("make run")
    assert steps.index(uploads[0]) > make_step


def test_ci_script_calls_exactly_the_readme_test_command(repo):
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme and "make run" in readme
    lines = [ln.strip() for ln in (repo / ".ci/run").read_text().splitlines()
             if ln.strip() and not ln.strip().startswith("#")]
    commands = [c for c in lines if not c.startswith(("set ", "cd "))]
    assert commands == ["make test"]
