"""pyvo as a real SIA 2.0 and DataLink/SODA client of AIMS: argv = base URL, API token.
Prints JSON of what pyvo saw; exit 1 with the traceback on stderr when pyvo fails."""
import io
import json
import sys

import astropy.units as u
import pyvo
import requests
from pyvo.dal.sia2 import SIAService as SIA2Service  # pyvo < 1.5 names the SIA 2.0 service so
from astropy.io import fits
from astropy.time import Time

base, token = sys.argv[1:3]
session = requests.Session()
session.auth = ("pyvo", token)  # HTTP Basic, the token as the password
sia = SIA2Service(f"{base}/api/vo/sia", session=session)


def ids(results):
    return sorted(int(r["obs_id"]) for r in results)


out = {"query_url": sia.query_ep}
cone = sia.search(pos=(150 * u.deg, 2 * u.deg, 0.05 * u.deg))
out["cone"] = ids(cone)
out["columns"] = list(cone.to_table().colnames)
out["band"] = ids(sia.search(band=(640e-9, 670e-9)))
out["time"] = ids(sia.search(time=(Time("2025-01-10T00:00:00", scale="utc"), Time("2025-01-10T12:00:00", scale="utc"))))
out["target"] = ids(sia.search(target_name="test field", instrument="ZWO ASI2600MM", calib_level=1))
limited = sia.search(maxrec=1)
out["maxrec"] = {"rows": len(limited), "status": limited.status[0]}
try:
    sia.search(pos=(150 * u.deg, 2 * u.deg, 0.05 * u.deg), POS="CIRCLE 1 2")
    out["error"] = None
except (pyvo.dal.DALQueryError, pyvo.dal.DALServiceError) as error:
    out["error"] = str(error)

record = cone[0]
# pyvo 1.2's record.getdatalink() drops the session (and so the credentials): pass it on.
links = pyvo.dal.adhoc.DatalinkResults.from_result_url(record.getdataurl(), session=session)
# include_narrower=False: the narrower terms come from ivoa.net, which a test must not need.
this = next(links.bysemantics("#this", include_narrower=False))
out["this_url"] = this.access_url
original = session.get(this.access_url)
out["this_status"] = original.status_code
out["this_bytes"] = len(original.content)
proc = links.get_first_proc()
# proc.processed(circle=…) would do the same without the session (pyvo 1.2): build its query here.
soda = pyvo.dal.adhoc.SodaQuery.from_resource(
    proc, proc._get_soda_resource(), session=session, circle=[150.01, 2.005, 0.005] * u.deg
)
stream = soda.execute_stream()
cut = fits.open(io.BytesIO(stream.read()))
out["cutout_shape"] = list(cut[0].data.shape)
print(json.dumps(out))
