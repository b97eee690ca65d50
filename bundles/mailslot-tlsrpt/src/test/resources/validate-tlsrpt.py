# Validates RFC 8460 reports (JSON files, or .gz) against rfc8460-report.schema.json with Debian's
# python3-jsonschema, formats checked. Usage: /usr/bin/python3 validate-tlsrpt.py SCHEMA REPORT...
import gzip
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
failed = False
for path in sys.argv[2:]:
    raw = open(path, "rb").read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    report = json.loads(raw.decode("utf-8"))
    errors = list(validator.iter_errors(report))
    for error in errors:
        print("%s: %s at %s" % (path, error.message, "/".join(str(p) for p in error.absolute_path)))
    failed = failed or bool(errors)
    if not errors:
        print("%s: valid" % path)
sys.exit(1 if failed else 0)
