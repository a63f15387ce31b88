"""Codec families (predictive, entropy, ...) and the registry that names them."""
