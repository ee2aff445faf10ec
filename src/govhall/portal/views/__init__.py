"""Portal views, one module per domain: parse, call one query or service, render."""
