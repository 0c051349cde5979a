import subprocess
import sys

from typer.testing import CliRunner

from mlhood import __version__
from mlhood.cli import app

runner = CliRunner()


def test_version_flag():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"mlhood {__version__}"


def test_bare_command_prints_version_and_commands():
    result = runner.invoke(app, [])
    assert result.exit_code == 0
    assert __version__ in result.stdout
    assert "version" in result.stdout


def test_python_dash_m_matches_console_script():
    out = subprocess.run(
        [sys.executable, "-m", "mlhood", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == f"mlhood {__version__}"
