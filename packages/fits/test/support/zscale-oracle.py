# astropy ZScaleInterval of the values on stdin (JSON {"values": [...], "samples": n}): the oracle of
# zscale.test.ts. Without "samples", astropy's default sample of 1000.
import json, sys
import numpy as np
from astropy.visualization import ZScaleInterval
given = json.load(sys.stdin)
data = np.array(given["values"], dtype=float)
interval = ZScaleInterval(n_samples=given["samples"]) if "samples" in given else ZScaleInterval()
lo, hi = interval.get_limits(data)
print(json.dumps([float(lo), float(hi)]))
