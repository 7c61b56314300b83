"""Reference cells of binary tables from astropy, for the BINTABLE reader tests.

Usage: /usr/bin/python3 astropy-tables.py FILE...

Prints one JSON object: {FILE: [{"index", "columns": [{"name", "format", "rows": [...]}]}]}, one entry
per BINTABLE HDU that is not a compressed image. Every cell is a list (a scalar becomes a list of
one), strings stay strings, complex numbers become [re, im], NaN becomes the string "NaN".
Bit ('X') columns are left out. Exit code 3 when astropy is not importable.
"""

import json
import math
import sys

try:
    import numpy as np
    from astropy.io import fits
except ImportError as error:  # pragma: no cover
    print(json.dumps({"missing": str(error)}))
    sys.exit(3)


def plain(value):
    if isinstance(value, (bytes, np.bytes_)):
        return value.decode("latin-1").rstrip(" \0")
    if isinstance(value, str):
        return value.rstrip(" \0")
    if isinstance(value, (complex, np.complexfloating)):
        return [plain(value.real), plain(value.imag)]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return "NaN" if math.isnan(value) else float(value)
    return value


def cell(value):
    if isinstance(value, (str, bytes, np.bytes_, np.str_)):
        return plain(value)
    if isinstance(value, np.ndarray) or isinstance(value, (list, tuple)):
        return [plain(v) for v in np.asarray(value).ravel()]
    return [plain(value)]


report = {}
for path in sys.argv[1:]:
    hdus = []
    try:
        with fits.open(path, disable_image_compression=True, memmap=False) as hdul:
            for index, hdu in enumerate(hdul):
                if not isinstance(hdu, fits.BinTableHDU) or hdu.header.get("ZIMAGE") or hdu.header.get("ZTABLE"):
                    continue
                columns = []
                for column in hdu.columns:
                    if "X" in column.format:
                        continue
                    try:
                        values = hdu.data[column.name]
                        rows = [cell(values[i]) for i in range(len(hdu.data))]
                    except Exception:  # astropy cannot read this column: not compared
                        continue
                    columns.append({"name": column.name, "format": column.format, "rows": rows})
                hdus.append({"index": index, "columns": columns})
    except Exception as error:
        hdus = {"error": f"{type(error).__name__}: {error}"}
    report[path] = hdus
print(json.dumps(report))
