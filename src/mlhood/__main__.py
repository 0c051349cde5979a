"""``python -m mlhood`` does what the ``mlhood`` command does."""

from mlhood.cli import main

if __name__ == "__main__":
    main()
