"""Evidence: the sources every clinical rule, table and number rests on, and the results that cite them.

* :class:`Source` is one bibliographic record with its verification status.
* The registry is a set of YAML data files in ``metastasis/evidence/sources/``, loaded once at import;
  a duplicate or malformed record fails at import, an unknown id fails when it is cited.
* :class:`Reason` says which rule or table row produced a conclusion, and which sources it rests on.
* :class:`Evidenced` is the base of every result model: it carries reasons, caveats and the union of
  the sources cited by its reasons.

Example
-------
>>> from metastasis.evidence import get_source
>>> get_source("ajcc8-breast").verification.value
'corroborated'
"""

from metastasis.evidence.registry import all_sources, check_cited, get_source
from metastasis.evidence.result import Evidenced, Reason
from metastasis.evidence.source import Source, Verification

__all__ = ["Evidenced", "Reason", "Source", "Verification", "all_sources", "check_cited", "get_source"]
