"""Business operations of the programmes module, split by use case."""
