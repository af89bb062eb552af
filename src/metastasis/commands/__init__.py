"""CLI sub-commands, one module per capability; :mod:`metastasis.cli` registers them.

Commands are thin: they parse options, call the library and render the result. They never hold
clinical rules.
"""
