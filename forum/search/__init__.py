"""Search: one box over the public and permitted records of every area, from one index table."""
