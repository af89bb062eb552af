"""Registry-scale batch work: columnar staging tables, registry formats (NAACCR XML, CSV, Parquet) and Dask.

The one-case engines stay the reference: every batch result equals them row for row (``tests/batch``). Modules:

* :mod:`metastasis.batch.lookup` - dense look-up tables built from the staging data files;
* :mod:`metastasis.batch.columns` - turning a column of any type into dictionary codes;
* :mod:`metastasis.batch.codes` - NAACCR item ids and registry codes mapped to the engine's inputs (data file);
* :mod:`metastasis.batch.naaccr` - NAACCR XML read and written as a stream;
* :mod:`metastasis.batch.tables` - CSV and Parquet read and written in record batches;
* :mod:`metastasis.batch.dask_runner` - the same vectorised staging over Dask partitions.
"""
