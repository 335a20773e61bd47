"""What every Python process of a test run loads at start-up (sitecustomize.py says why)."""
