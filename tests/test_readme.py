"""Spec: README opens with the install-and-run command and the test command, and CI runs the latter verbatim."""
from conftest import REPO_ROOT


def _readme_commands():
    lines = (REPO_ROOT / "README.md").read_text().splitlines()
    start = lines.index("```bash") + 1
    return [line.split("#")[0].strip() for line in lines[start:start + 2]]


def test_readme_opens_with_two_commands():
    install_and_run, test = _readme_commands()
    assert install_and_run.startswith(("pip install .", 'pip install ".')) and "n1codec bench" in install_and_run
    # the plot a new user expects needs matplotlib, which only the extras bring
    assert "[all]" in install_and_run or "[bench]" in install_and_run
    assert "pytest" in test


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (REPO_ROOT / ".ci" / "run").read_text().splitlines()
    assert _readme_commands()[1] in [line.strip() for line in ci]
