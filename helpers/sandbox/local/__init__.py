"""What only the local sandbox has: `/_sandbox/*` controls, faults, rate limits, demo shop."""
