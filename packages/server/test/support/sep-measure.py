#!/usr/bin/python3
"""Reference measurements by SEP (Barbary 2016, the SExtractor library) for the AIMS analysis tests.

Usage: sep-measure.py JSON
JSON is a list of {"path", "hdu", "rmax", "thresh", "kernel"}; prints a JSON list with, per file:
the global background and RMS of a 64x64 mesh with a 3x3 median filter, the number of objects
extracted on the image convolved with `kernel` above `thresh` x the global RMS (AIMS passes
5 x the kernel's noise factor, i.e. 5 sigma of the smoothed image; minarea 5, no deblending, no
cleaning), and the median flux_radius (half-flux, 5x5 sub-pixel) in circles of radius `rmax` around
the objects that are not flagged and not within rmax of an edge, and each such object's
[x, y, flux_radius].
Only the Debian python3 has sep and astropy: run with /usr/bin/python3.
"""
import json
import sys

import numpy as np
import sep
from astropy.io import fits


def measure(job):
    with fits.open(job["path"], memmap=False) as hdul:
        data = np.asarray(hdul[job.get("hdu", 0)].data, dtype=np.float64)
    if data.ndim > 2:
        data = data.reshape((-1,) + data.shape[-2:])[0]
    data = np.ascontiguousarray(data)
    bkg = sep.Background(data, bw=64, bh=64, fw=3, fh=3)
    sub = data - bkg.back()
    kernel = np.asarray(job["kernel"], dtype=np.float64)
    sep.set_extract_pixstack(5_000_000)
    objects = sep.extract(
        sub,
        job["thresh"],
        err=bkg.globalrms,
        minarea=5,
        filter_kernel=kernel,
        deblend_cont=1.0,
        clean=False,
    )
    rmax = job["rmax"]
    h, w = data.shape
    inside = (
        (objects["x"] > rmax)
        & (objects["y"] > rmax)
        & (objects["x"] < w - 1 - rmax)
        & (objects["y"] < h - 1 - rmax)
        & (objects["flag"] == 0)
    )
    ok = objects[inside]
    radius = np.zeros(0)
    measured = []
    if len(ok):
        r, flag = sep.flux_radius(sub, ok["x"], ok["y"], np.full(len(ok), rmax), 0.5, subpix=5)
        good = (flag == 0) & np.isfinite(r) & (r > 0)
        radius = r[good]
        # SEP positions are 0-based pixel centres, as AIMS's.
        measured = [[float(x), float(y), float(rr)] for x, y, rr in zip(ok["x"][good], ok["y"][good], radius)]
    return {
        "path": job["path"],
        "background": float(bkg.globalback),
        "rms": float(bkg.globalrms),
        "objects": int(len(objects)),
        "measured": int(len(radius)),
        "median_flux_radius": float(np.median(radius)) if len(radius) else None,
        "flux_radius": measured,
    }


if __name__ == "__main__":
    print(json.dumps([measure(job) for job in json.loads(sys.argv[1])]))
