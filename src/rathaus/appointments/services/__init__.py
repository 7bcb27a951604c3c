"""The appointments module's operations, split by use case (see the module README)."""
