"""The language server: ``sphinx-techspec lsp`` (live checks, completion, hover, go to, rename).

An editor starts it over stdio; it answers from its own index of the project's
pages (:mod:`.workspace_index`, kept current by :mod:`.page_parser`) and the last
build's ``techspec.json``, never from a Sphinx build. pygls is an optional
dependency (the ``lsp`` extra), imported only when the command runs.

- :mod:`.project`: finds ``conf.py`` and reads the item types, options and choices.
- :mod:`.page_parser`: the line-based reader of RST and MyST item directives and roles.
- :mod:`.workspace_index`: every page's items and references, and the build's data.
- :mod:`.code_index`: the code markers of ``techspec_code_paths``, scanned by the build's
  scanner, file by file; :mod:`.json_examples`: design examples that are not valid JSON.
- :mod:`.diagnostics`, :mod:`.completion`, :mod:`.hover`, :mod:`.navigation`,
  :mod:`.rename`, :mod:`.code_actions`: one LSP feature each.
- :mod:`.server`: the pygls wiring; :mod:`.command`: the ``lsp`` subcommand.
"""

from __future__ import annotations

from ..feature import Command, Feature, lazy

FEATURE = Feature(
    name="lsp",
    commands=(
        Command(
            "lsp",
            "run the language server over stdio (live checks, completion, hover, go to, rename)",
            lazy(f"{__name__}.command", "configure"),
            lazy(f"{__name__}.command", "run"),
        ),
    ),
)
