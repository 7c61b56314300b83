"""Dump every card of every HDU as astropy reads it, as JSON, for the oracle test.

Usage: /usr/bin/python3 astropy-header.py FILE...  (prints one JSON document on stdout)

Values are tagged so that nothing is lost on the way to JavaScript: integers as decimal strings
(they may exceed 2^53), floats as repr() (inf and nan included). For a tile-compressed HDU the
header is astropy's CompImageHDU.header, the header of the image it holds.
"""

import json
import sys
import warnings

from astropy.io import fits
from astropy.io.fits.card import Undefined

TYPES = {
    "PrimaryHDU": "PRIMARY",
    "ImageHDU": "IMAGE",
    "BinTableHDU": "BINTABLE",
    "TableHDU": "TABLE",
    "GroupsHDU": "RANDOM_GROUPS",
    "CompImageHDU": "COMPRESSED_IMAGE",
}


def tag(value):
    if isinstance(value, bool):
        return ["bool", value]
    if isinstance(value, int):
        return ["int", str(value)]
    if isinstance(value, float):
        return ["float", repr(value)]
    if isinstance(value, complex):
        return ["complex", [repr(value.real), repr(value.imag)]]
    if isinstance(value, str):
        return ["str", value]
    if value is None or isinstance(value, Undefined):
        return ["null", None]
    return ["other", repr(value)]


def card_json(card):
    out = {}
    try:
        out["key"] = card.rawkeyword
    except Exception as error:  # noqa: BLE001 - record, never stop the dump
        out["key"] = None
        out["error"] = f"keyword: {error}"
    try:
        out["value"] = tag(card.rawvalue)
    except Exception as error:  # noqa: BLE001
        out["value"] = None
        out["error"] = f"value: {type(error).__name__}: {error}"
    try:
        out["comment"] = card.comment
    except Exception as error:  # noqa: BLE001
        out["comment"] = None
        out["error"] = f"comment: {type(error).__name__}: {error}"
    return out


def dump(path):
    try:
        with fits.open(path, ignore_missing_end=True, memmap=False) as hdul:
            hdus = []
            for index, hdu in enumerate(hdul):
                kind = TYPES.get(type(hdu).__name__, "UNKNOWN:" + type(hdu).__name__)
                cards = [card_json(c) for c in hdu.header.cards]
                info = hdu.fileinfo() or {}
                # Where astropy found the header and the data, and the data span with its padding.
                layout = [info.get("hdrLoc"), info.get("datLoc"), info.get("datSpan")]
                hdus.append({"index": index, "type": kind, "layout": layout, "cards": cards})
            return {"file": path, "hdus": hdus}
    except Exception as error:  # noqa: BLE001
        return {"file": path, "error": f"{type(error).__name__}: {error}"}


def main(paths):
    warnings.simplefilter("ignore")
    json.dump({"astropy": __import__("astropy").__version__, "files": [dump(p) for p in paths]}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
