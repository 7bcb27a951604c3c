"""Forms of the programmes module, one file per use case."""
