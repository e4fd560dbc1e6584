"""Forum cycles (chair-years), bodies and dated memberships; the Troika is computed from the cycles."""
