"""`python -m assistant.cli ...` runs the `assistant` command (as the README's developer commands do)."""

from assistant.cli import main

main()
