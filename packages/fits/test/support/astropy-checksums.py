"""astropy's verdict on CHECKSUM and DATASUM, HDU by HDU, for the checksum oracle test.

Usage: astropy-checksums.py FILE... -> JSON {"files": [[{index, checksum, datasum}] | {"error"}]}
(ok / bad / absent per keyword, from HDU.verify_checksum() and HDU.verify_datasum()).
"""
import json
import sys
import warnings

from astropy.io import fits

warnings.simplefilter("ignore")
STATES = {0: "bad", 1: "ok", 2: "absent"}
out = []
for path in sys.argv[1:]:
    try:
        # disable_image_compression: the checksums of a tile-compressed HDU are those of the table.
        with fits.open(path, checksum=False, disable_image_compression=True) as hdus:
            out.append([
                {"index": i, "checksum": STATES[h.verify_checksum()], "datasum": STATES[h.verify_datasum()]}
                for i, h in enumerate(hdus)
            ])
    except Exception as error:  # noqa: BLE001 - any failure means astropy has no verdict
        out.append({"error": f"{type(error).__name__}: {error}"})
print(json.dumps({"files": out}))
