"""Exchange with outside systems: the ClinicalTrials.gov API v2 client (:mod:`metastasis.interop.ctgov`) and the
other formats in this package's modules."""
