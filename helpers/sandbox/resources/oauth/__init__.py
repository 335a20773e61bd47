"""Clover's oauth resource."""
