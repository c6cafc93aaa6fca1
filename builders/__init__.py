"""triptych: one narrative, three artefacts."""

import logging

__version__ = "0.1.0"

# fontTools warns about every font whose header dates predate 1970 ("'created' timestamp seems
# very low"): the dates mean nothing to a build and the noise hid real messages on the terminal.
logging.getLogger("fontTools.ttLib.tables._h_e_a_d").setLevel(logging.ERROR)
