"""Reference world coordinates from astropy.wcs for the WCS tests (run with /usr/bin/python3).

Reads a JSON list of file paths on stdin and writes one JSON object per HDU on stdout:
  {"file", "hdu", "status": "ok" | "none" | "skip", "reason", "naxis": [n1, n2],
   "lng", "lat" (1-based axes), "frame", "samples": [[x, y, ra, dec], ...],
   "footprint": [[ra, dec] x 4 in the order (1,1),(n1,1),(n1,n2),(1,n2)], "scales": [sx, sy]}
RA/Dec are ICRS for galactic and FK4 headers (as the TypeScript WCS returns them) and the
header's own frame otherwise; off-sky pixels give null. Pixel coordinates are FITS 1-based.
"""
import json
import sys
import warnings

import numpy as np
from astropy import log
from astropy import units as u
from astropy.coordinates import FK4, FK5, SkyCoord
from astropy.io import fits
from astropy.wcs import WCS
from astropy.wcs.utils import proj_plane_pixel_scales

warnings.simplefilter("ignore")


def read_headers(path):
    """(index, header, hdulist-or-None) for each HDU; .hdr files are bare card images."""
    if path.endswith(".hdr"):
        with open(path, "rb") as f:
            text = f.read().decode("ascii", "replace")
        sep = "\n" if "\n" in text else ""
        return [(0, fits.Header.fromstring(text, sep=sep), None)]
    hdul = fits.open(path)
    return [(i, hdu.header, hdul) for i, hdu in enumerate(hdul)]


def image_size(header, lng, lat, crpix):
    sizes = []
    for axis, ref in ((lng, crpix[lng - 1]), (lat, crpix[lat - 1])):
        n = header.get(f"NAXIS{axis}", 0) or 0
        if header.get("NAXIS", 0) in (0, None) or n <= 1:
            # Header-only solutions (astrometry.net .wcs, .hdr files): IMAGEW/IMAGEH or twice CRPIX.
            n = header.get("IMAGEW" if axis == lng else "IMAGEH", 0) or int(max(2, round(2 * ref)))
        sizes.append(int(n))
    return sizes


def to_equatorial(frame, lon, lat):
    if frame == "GALACTIC":
        c = SkyCoord(lon * u.deg, lat * u.deg, frame="galactic").icrs
        return c.ra.deg, c.dec.deg
    if frame in ("FK4", "FK4-NO-E"):
        from astropy.coordinates import FK4NoETerms

        cls = FK4 if frame == "FK4" else FK4NoETerms
        c = SkyCoord(lon * u.deg, lat * u.deg, frame=cls(equinox="B1950", obstime="B1950")).icrs
        return c.ra.deg, c.dec.deg
    if frame.startswith("FK5 J"):
        equinox = f"J{frame[5:].lstrip('J')}"
        c = SkyCoord(lon * u.deg, lat * u.deg, frame=FK5(equinox=equinox)).transform_to(FK5(equinox="J2000"))
        return c.ra.deg, c.dec.deg
    return lon, lat


def oracle(path, index, header, hdul):
    out = {"file": path, "hdu": index}
    try:
        w = WCS(header, fobj=hdul)
    except Exception as e:  # noqa: BLE001 - any failure is a stated skip
        return {**out, "status": "skip", "reason": f"astropy cannot build the WCS: {type(e).__name__}: {e}"[:300]}
    if not w.has_celestial:
        return {**out, "status": "none"}
    notes = []
    if any(getattr(w, k, None) is not None for k in ("cpdis1", "cpdis2", "det2im1", "det2im2")):
        w.cpdis1 = w.cpdis2 = w.det2im1 = w.det2im2 = None
        notes.append("lookup-table distortion (CPDIS/D2IMARR, stored outside the header) left out")
    lng, lat = w.wcs.lng + 1, w.wcs.lat + 1
    radesys = w.wcs.radesys.strip()
    ctype = w.wcs.ctype[lng - 1].upper()
    frame = "GALACTIC" if ctype.startswith("GLON") else (radesys or "ICRS")
    equinox = None if np.isnan(w.wcs.equinox) else float(w.wcs.equinox)
    if frame == "FK5" and equinox not in (None, 2000.0):
        frame = f"FK5 J{equinox}"
    if frame in ("FK4", "FK4-NO-E") and w.wcs.equinox != 1950.0:
        return {**out, "status": "skip", "reason": f"FK4 at equinox {w.wcs.equinox} is not converted"}
    crpix = list(w.wcs.crpix)
    n1, n2 = image_size(header, lng, lat, crpix)

    rng = np.random.default_rng(20240607 + index)
    pixels = [((n1 + 1) / 2, (n2 + 1) / 2), (1, 1), (n1, 1), (n1, n2), (1, n2)]
    pixels += [(float(x), float(y)) for x, y in zip(rng.uniform(0.5, n1 + 0.5, 20), rng.uniform(0.5, n2 + 0.5, 20))]
    full = np.tile(np.array(crpix, dtype=float), (len(pixels), 1))
    for row, (x, y) in enumerate(pixels):
        full[row, lng - 1] = x
        full[row, lat - 1] = y
    try:
        world = w.all_pix2world(full, 1)
    except Exception as e:  # noqa: BLE001
        return {**out, "status": "skip", "reason": f"astropy all_pix2world failed: {type(e).__name__}: {e}"[:300]}
    samples = []
    for (x, y), row in zip(pixels, world):
        lon, la = row[lng - 1], row[lat - 1]
        if not (np.isfinite(lon) and np.isfinite(la)):
            samples.append([x, y, None, None])
            continue
        ra, dec = to_equatorial(frame, float(lon), float(la))
        samples.append([x, y, float(ra), float(dec)])

    celestial = w.celestial
    footprint = None
    try:
        fp = celestial.calc_footprint(axes=(n1, n2)) if lng < lat else None
        if fp is not None and np.all(np.isfinite(fp)):
            # astropy's order is (1,1),(1,n2),(n1,n2),(n1,1).
            order = [fp[0], fp[3], fp[2], fp[1]]
            footprint = [list(to_equatorial(frame, float(a), float(b))) for a, b in order]
    except Exception:  # noqa: BLE001
        footprint = None
    scales = [float(s) for s in proj_plane_pixel_scales(celestial)]
    # Position angle (east of north) of the +y pixel axis at the image centre.
    rotation = None
    ends = np.tile(np.array(crpix, dtype=float), (2, 1))
    for row, (x, y) in enumerate((((n1 + 1) / 2, (n2 + 1) / 2), ((n1 + 1) / 2, (n2 + 1) / 2 + 1))):
        ends[row, lng - 1] = x
        ends[row, lat - 1] = y
    pair = w.all_pix2world(ends, 1)
    if np.all(np.isfinite(pair)):
        a = SkyCoord(*to_equatorial(frame, float(pair[0][lng - 1]), float(pair[0][lat - 1])), unit="deg")
        b = SkyCoord(*to_equatorial(frame, float(pair[1][lng - 1]), float(pair[1][lat - 1])), unit="deg")
        rotation = float(a.position_angle(b).wrap_at(180 * u.deg).deg)
    return {
        **out,
        "status": "ok",
        "reason": "; ".join(notes),
        "naxis": [n1, n2],
        "lng": int(lng),
        "lat": int(lat),
        "frame": frame,
        "ctype": str(header.get(f"CTYPE{lng}", "")).strip(),
        "samples": samples,
        "footprint": footprint,
        "scales": scales,
        "rotation": rotation,
    }


def main():
    # astropy logs notes (SIP without '-SIP', say) to stdout: keep stdout for the JSON alone.
    out = sys.stdout
    sys.stdout = sys.stderr
    log.setLevel("WARNING")
    results = []
    for path in json.load(sys.stdin):
        try:
            headers = read_headers(path)
        except Exception as e:  # noqa: BLE001
            results.append({"file": path, "hdu": None, "status": "skip", "reason": f"astropy cannot read the file: {type(e).__name__}: {e}"[:300]})
            continue
        for index, header, hdul in headers:
            try:
                results.append(oracle(path, index, header, hdul))
            except Exception as e:  # noqa: BLE001
                results.append({"file": path, "hdu": index, "status": "skip", "reason": f"astropy failed: {type(e).__name__}: {e}"[:300]})
    json.dump(results, out)


if __name__ == "__main__":
    main()
