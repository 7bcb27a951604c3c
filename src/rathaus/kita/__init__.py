"""Kita places: the allocation of daycare places by deferred acceptance (Kita-Platzvergabe)."""
