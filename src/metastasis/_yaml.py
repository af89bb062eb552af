"""Reading the package's own YAML data files: libyaml's C loader when it is there (about 5x faster to start up),
else PyYAML's pure-Python safe loader. Both build plain Python data from the same YAML subset.

Case files from users do not come through here: :mod:`metastasis.domain.io` reads them with its own guarded
loader (no aliases, no duplicate keys, bounded size).
"""

from __future__ import annotations

from typing import Any

import yaml

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_data(text: str) -> Any:
    """The data of one YAML document of the package's data files."""
    return yaml.load(text, Loader=_Loader)
