"""Corpora: reading documents locally or from URLs, partitions, the results store,
and the runner that processes a corpus on this machine or on Dask."""
