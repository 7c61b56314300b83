# astropy ZScaleInterval over every value given on stdin (JSON list): the oracle of stretch.test.ts.
import json, sys
import numpy as np
from astropy.visualization import ZScaleInterval
data = np.array(json.load(sys.stdin), dtype=float)
lo, hi = ZScaleInterval(n_samples=len(data), contrast=0.25).get_limits(data)
print(json.dumps([lo, hi]))
