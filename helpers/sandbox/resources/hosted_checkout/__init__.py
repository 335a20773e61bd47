"""Clover's hosted checkout resource."""
