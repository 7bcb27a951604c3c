"""Business operations of the Kita module, split by use case: registering, running a round,
answering an offer, explaining, auditing, figures for open data, privacy."""
