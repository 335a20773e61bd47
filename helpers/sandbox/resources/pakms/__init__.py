"""Clover's pakms resource."""
