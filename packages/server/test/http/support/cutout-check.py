"""Compares a SODA cutout with its original as astropy reads them: argv = original cutout.
Prints JSON {"shape", "offset": [dx, dy], "max_sky_error_deg", "data_equal", "region_centre_pixel"}:
the offset comes from the cutout's LTV1/LTV2; every cutout pixel's world coordinates (astropy.wcs)
are compared with those of the same pixel of the original."""
import json
import sys
import warnings

import numpy as np
from astropy.io import fits
from astropy.wcs import WCS

warnings.simplefilter("ignore")
original, cutout = (fits.open(path) for path in sys.argv[1:3])
oh, ch = original[0].header, cutout[0].header
dx, dy = int(round(-ch["LTV1"])), int(round(-ch["LTV2"]))
od, cd = original[0].data, cutout[0].data
h, w = cd.shape[-2:]
ys, xs = np.mgrid[0:h, 0:w]
ow, cw = WCS(oh), WCS(ch)
o_ra, o_dec = ow.all_pix2world(xs + dx, ys + dy, 0)
c_ra, c_dec = cw.all_pix2world(xs, ys, 0)
d_ra = (o_ra - c_ra + 180) % 360 - 180
error = np.max(np.hypot(d_ra * np.cos(np.radians(o_dec)), o_dec - c_dec))
data_equal = bool(np.array_equal(od[..., dy : dy + h, dx : dx + w], cd))
out = {"shape": [w, h], "offset": [dx, dy], "max_sky_error_deg": float(error), "data_equal": data_equal}
if len(sys.argv) > 4:
    ra, dec = float(sys.argv[3]), float(sys.argv[4])
    x, y = ow.all_world2pix([[ra, dec]], 0)[0]
    out["centre_pixel"] = [float(x) + 1, float(y) + 1]
print(json.dumps(out))
