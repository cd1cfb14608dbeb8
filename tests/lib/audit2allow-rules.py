#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# What audit2allow derives from a log, by its own parser (sepolgen.audit.AuditParser), without a
# policy: "allow SOURCE TARGET CLASS" for each triple of its denials and "role ROLE TYPE" for each
# invalid context, sorted. audit2allow asks the loaded policy (audit2why) about every denial and
# drops those whose types it does not know; here every denial counts, as in `denials`.
import sys

import selinux.audit2why as audit2why
import sepolgen.audit as audit

audit.audit2why.analyze = lambda scon, tcon, cls, perms: (audit2why.TERULE, [])
parser = audit.AuditParser()
with open(sys.argv[1], errors="surrogateescape") as f:
    parser.parse_string(f.read())
for t in sorted({(m.scontext.type, m.tcontext.type, m.tclass) for m in parser.avc_msgs if m.denial}):
    print("allow", *t)
for r in sorted({(m.invalid_context.role, m.invalid_context.type) for m in parser.compute_sid_msgs}):
    print("role", *r)
