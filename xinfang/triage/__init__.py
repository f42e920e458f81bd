"""Triage suggestions in the product: the `classify` and `similar` commands over `xinfang.textmining`."""
