"""Clover's customers resource."""
