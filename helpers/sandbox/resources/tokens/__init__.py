"""Clover's tokens resource."""
