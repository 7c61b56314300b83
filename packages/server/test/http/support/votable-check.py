"""Reads a VOTable on stdin, parses it with astropy (the reference parser) and prints JSON:
{"warnings": [...], "infos": {name: [value, content]}, "fields": [{name, datatype, unit, ucd, utype}],
 "rows": [{column: value}]}. Masked values, NaN and empty strings are null. Exit 1 (message on stderr) if it does not parse."""
import io
import json
import math
import sys
import warnings

from astropy.io.votable import parse

data = sys.stdin.buffer.read()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    try:
        votable = parse(io.BytesIO(data), verify="warn")
    except Exception as error:  # noqa: BLE001 - any parse failure is the answer
        print(f"parse failed: {error}", file=sys.stderr)
        sys.exit(1)

resource = votable.resources[0]
infos = {info.name: [info.value, info.content] for info in resource.infos}
out = {"warnings": [str(w.message) for w in caught], "infos": infos, "fields": [], "rows": []}


def plain(value):
    if value is None or value is getattr(__import__("numpy").ma, "masked"):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, bytes):
        value = value.decode()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value == "":  # VOTable 1.4: an empty char cell is null
        return None
    return value


if resource.tables:
    table = resource.tables[0]
    out["fields"] = [
        {"name": f.name, "datatype": f.datatype, "unit": str(f.unit) if f.unit else None, "ucd": f.ucd, "utype": f.utype}
        for f in table.fields
    ]
    array = table.array
    for i in range(len(array)):
        row = {}
        for f in table.fields:
            cell = array[f.name][i]
            masked = bool(array.mask[f.name][i]) if hasattr(array, "mask") else False
            row[f.name] = None if masked else plain(cell)
        out["rows"].append(row)
print(json.dumps(out))
