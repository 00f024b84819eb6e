"""One router per concern; `gradflow.api.main` wires them."""
