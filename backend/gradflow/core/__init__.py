"""Pure NumPy numerics: no web framework, no global state; weights in, arrays out."""
