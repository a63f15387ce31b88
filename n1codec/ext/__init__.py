"""Adapters for the ecosystem (numcodecs, zarr), found through entry points. They use
the core's public API only; the core never imports them."""
