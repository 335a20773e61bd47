"""Loaded by every pytest run from the project root, `pytest notebooks/NN_x.ipynb` included.

The suite, notebooks included, runs against fresh local sandboxes whatever a developer's
`.env` says or whichever lab is running: variables already set win over `.env`, and an
empty sandbox URL makes each kernel start its own seeded sandbox (not the lab's, which
`connect()` would otherwise find). Only tests/real_sandbox talks to Clover, by name.
"""

import os

os.environ["CLOVER_ENV"] = "local"
os.environ["CLOVER_SANDBOX_URL"] = ""
# No page to type into in these runs: lesson 01 may tokenize the test card itself (a live lab
# waits for the shopper). tests/workshop keeps it from the labs it starts.
os.environ["KIT_NO_FRONT_END"] = "1"
