"""Clover's refunds resource."""
