"""The `clientfit` command line: quick logging and scripting beside the app.

`args` reads the command line (once, cheaply: it is on the path of every
`log`); `parser` is the full argparse parser, built from the command modules
listed in `parser.COMMANDS`; `main` runs what was read. Each command is one
module here with `add(sub)` (its parser) and `run(store, args) -> int`.
"""
