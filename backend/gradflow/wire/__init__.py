"""How answers are written: strict JSON (encoding.py) and rounding to a number of digits (rounding.py)."""
