"""Reference pixels from astropy, for the table-driven image tests.

Usage: /usr/bin/python3 astropy-pixels.py OUT_DIR FILE...

For every HDU with image data (primary, IMAGE, tile-compressed), writes OUT_DIR/<n>.f64: astropy's
`.data` as raw little-endian float64 (NAXIS1 fastest). Integer BLANK pixels that astropy leaves as
integers (unscaled data) become NaN, as the AIMS reader defines them. Prints one JSON object:
{"files": {FILE: {"hdus": [{"index", "shape", "dtype", "bzero", "path"} | {"index", "error"}]} | {"error"}}}.
Exit code 3 when astropy is not importable.
"""

import json
import os
import sys

try:
    import numpy as np
    from astropy.io import fits
except ImportError as error:  # pragma: no cover - reported by the test as a skip reason
    print(json.dumps({"missing": str(error)}))
    sys.exit(3)

out_dir = sys.argv[1]
report = {"files": {}}
counter = 0
for path in sys.argv[2:]:
    entry = {"hdus": []}
    try:
        with fits.open(path, memmap=False) as hdul:
            for index, hdu in enumerate(hdul):
                is_image = isinstance(hdu, (fits.PrimaryHDU, fits.ImageHDU, fits.CompImageHDU))
                if not is_image or isinstance(hdu, fits.GroupsHDU):
                    continue
                try:
                    # Read the scaling first: astropy drops BZERO/BSCALE from the header once it scales.
                    bzero = float(hdu.header.get("BZERO", 0) or 0)
                    scaled = hdu.header.get("BSCALE", 1) != 1 or bzero != 0
                    data = hdu.data
                    if data is None:
                        continue
                    header = hdu.header
                    values = np.asarray(data, dtype="<f8").copy()
                    bitpix = header.get("BITPIX", 0)
                    if bitpix > 0 and "BLANK" in header and data.dtype.kind in "iu":
                        blank = header["BLANK"]
                        raw = np.asarray(data).astype(np.int64) if not scaled else None
                        if raw is not None and float(blank) == int(blank):
                            values[raw == int(blank)] = np.nan
                    counter += 1
                    file = os.path.join(out_dir, f"{counter}.f64")
                    values.tofile(file)
                    entry["hdus"].append({
                        "index": index,
                        "shape": list(values.shape),
                        "dtype": str(data.dtype),
                        "bzero": bzero,
                        "path": file,
                    })
                except Exception as error:  # astropy cannot read this HDU: the test says so
                    entry["hdus"].append({"index": index, "error": f"{type(error).__name__}: {error}"})
    except Exception as error:
        entry = {"error": f"{type(error).__name__}: {error}"}
    report["files"][path] = entry
print(json.dumps(report))
