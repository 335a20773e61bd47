"""Clover's charges resource."""
