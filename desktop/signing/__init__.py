"""Digital signatures: sign the PDFs the app makes (PAdES, pyHanko) and verify signed PDFs.

A step after rendering, at the same layer as desktop.reports and desktop.sync and independent
of both: the reports know nothing of signing. Heavy parts (pyHanko, the PKCS#11 library) are
imported inside the functions that use them, so nothing of this runs at start-up.
"""

import logging

# pyHanko logs a traceback at WARNING for every certificate it cannot chain to a trusted root
# (an everyday answer here, shown as `trusted: false`). Without a handler of its own Python's
# last-resort handler would print it on stderr of every `kiemtra verify`; with this one, only
# the program's log (when set up) receives it.
logging.getLogger("pyhanko").addHandler(logging.NullHandler())
logging.getLogger("pyhanko_certvalidator").addHandler(logging.NullHandler())
