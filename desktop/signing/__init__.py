"""Digital signatures: sign the PDFs the app makes (PAdES, pyHanko) and verify signed PDFs.

A step after rendering, at the same layer as desktop.reports and desktop.sync and independent
of both: the reports know nothing of signing. Heavy parts (pyHanko, the PKCS#11 library) are
imported inside the functions that use them, so nothing of this runs at start-up.
"""

import logging

# pyHanko logs a traceback at WARNING for every certificate it cannot chain to a trusted root
# (an everyday answer here, shown as `trusted: false`). Without a handler of its own Python's
# last-resort handler would print it on stderr of every `kiemtra verify`, and the window's log
# would fill with one per signed attachment shown: only its errors are kept.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).setLevel(logging.ERROR)
