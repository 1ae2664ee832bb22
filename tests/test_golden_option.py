"""``pytest --update-golden`` rewrites golden files; without it a difference fails with a diff."""

from __future__ import annotations

pytest_plugins = ["pytester"]

CONFTEST = (__import__("pathlib").Path(__file__).parent / "conftest.py").read_text()
TEST = """
from pathlib import Path

def test_it(check_golden):
    check_golden(Path("g.txt"), "new line\\n")
"""


def test_update_golden_option(pytester):
    pytester.makeconftest(CONFTEST.replace("monkeypatch.chdir(REPO_ROOT)", "pass"))
    pytester.makepyfile(test_g=TEST)
    golden = pytester.path / "g.txt"
    golden.write_text("old line\n")
    failed = pytester.runpytest("-p", "no:cacheprovider", "-p", "no:playwright")
    failed.assert_outcomes(failed=1)
    failed.stdout.fnmatch_lines(["*output differs from g.txt*", "*-old line*", "*+new line*"])
    assert golden.read_text() == "old line\n"
    pytester.runpytest(
        "-p", "no:cacheprovider", "-p", "no:playwright", "--update-golden"
    ).assert_outcomes(passed=1)
    assert golden.read_text() == "new line\n"
    pytester.runpytest("-p", "no:cacheprovider", "-p", "no:playwright").assert_outcomes(passed=1)
