"""The wallet button of the iframe SDK (Apple Pay, Google Pay): its local test wallet."""
