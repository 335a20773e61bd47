"""Clover's orders resource."""
