"""metastasis: evidence-traceable decision support and education for metastatic breast cancer.

Every clinical result carries the reasons that produced it and the ids of the sources it rests on
(see :mod:`metastasis.evidence`). Outputs are decision support and education, not a medical device.
"""

from metastasis.errors import InvalidInputError, MetastasisError

__version__ = "0.1.0"

DISCLAIMER = (
    "Decision support and education only - not a medical device and not medical advice. "
    "Check every result against the cited sources and discuss it with the care team."
)

__all__ = ["DISCLAIMER", "InvalidInputError", "MetastasisError", "__version__"]
