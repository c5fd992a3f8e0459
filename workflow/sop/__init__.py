"""The SOP itself: the state table, taking a step, and each step's time against its standard."""
