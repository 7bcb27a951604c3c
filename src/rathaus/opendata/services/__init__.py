"""Business operations of the open-data module, split by use case: ``catalogue`` (data sets
and their index), ``releases`` (protect, freeze, publish, log), ``uploads`` (files and
fetched addresses), ``search`` and ``datastore`` (the two CKAN searches), ``files``, ``rdf``
and ``charts`` (what the portal serves)."""
