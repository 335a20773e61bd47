"""How far the local sandbox is from Clover, measured: one comparison engine
(:mod:`.engine`), the requests it compares (:mod:`.exchanges`, in the format of
`tests/contract/pages/`), the scripted tour of the lessons' flows (:mod:`.tour`), its report
(:mod:`.report`) and `python -m helpers.sandbox compare` (:mod:`.command`).

The contract tests replay Clover's documented samples and committed recordings through the
same engine, so a difference the command reports is one the suite can hold on to.
"""
