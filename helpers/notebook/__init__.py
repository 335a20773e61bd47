"""What only a learner in a notebook needs: tables, reports, checks, a simulated shopper,
the local sandbox's controls and the widgets."""
