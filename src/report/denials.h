/* SPDX-License-Identifier: MIT */
/* The denial report: records (avc-parse.h) counted into groups as they are read, answering
 * "would enforcing break this machine?". Denials are grouped by source type, target type,
 * class, permissions and command, SELinux errors by operation, source, target, class and what
 * was refused. Copies of one record (the journal's from kmsg and from the audit socket) count
 * once. Memory is bounded: groups, not records, are kept, and only up to GROUPS_MAX_BYTES. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "avc-parse.h"
#include "report.h"

/* What the groups (keys, counts, tree nodes) may take; records of new groups past it are
 * counted but not grouped. */
#define GROUPS_MAX_BYTES (64u << 20)

struct denial_group {
        char *stype, *ttype, *tclass, *comm;
        char **perms;
        size_t n_perms;
        size_t count;
        size_t n_permissive, n_enforcing; /* records with permissive=1, permissive=0 */
        bool has_time;
        int64_t first_ms, last_ms;
        /* The source is a domain the caller declared permissive: not enforced under an
         * enforcing system either. */
        bool permissive_domain;
};

struct error_group {
        char *op, *stype, *ttype, *tclass, *detail;
        size_t count;
        bool has_time;
        int64_t first_ms, last_ms;
};

struct seen;

struct denial_report {
        char *const *permissive_domains;
        size_t n_permissive_domains;
        void *denial_tree, *error_tree;
        /* After denial_report_finish(): by count, descending, then by key. */
        struct denial_group **groups;
        size_t n_groups;
        struct error_group **errors;
        size_t n_error_groups;
        size_t n_denials, n_enforced, n_errors;
        size_t n_duplicates;    /* records left out as copies of one counted */
        size_t n_ungrouped;     /* counted, past GROUPS_MAX_BYTES */
        size_t n_skipped_lines; /* the caller's: lines longer than AVC_LINE_MAX */
        size_t group_bytes, group_bytes_max; /* the latter GROUPS_MAX_BYTES, unless a test sets less */
        size_t seen_buckets;                 /* of the table of copies: 4 records' keys each */
        struct seen *seen;
};

/* Every denial counts as one that enforcing would enforce unless its source type is in
 * permissive_domains (borrowed; NULL when n is 0). 0. */
int denial_report_init(struct denial_report *r, char *const *permissive_domains, size_t n_permissive_domains);
/* Counts one record: 1, or 0 when it is a copy of a record already counted (the same audit
 * event and body, or a copy without a stamp of a stamped one), or -ENOMEM. */
int denial_report_add(struct denial_report *r, const struct avc_record *rec);
/* Orders the groups. 0 or -ENOMEM. */
int denial_report_finish(struct denial_report *r);
void denial_report_free(struct denial_report *r);

/* "yes", "no", "mixed", "?" (no record said), or "domain" (a permissive domain). */
const char *denial_group_permissive(const struct denial_group *g);
/* ISO-8601 UTC with milliseconds, "2023-11-14T22:13:20.123Z"; buf of at least 32 bytes. */
const char *denials_format_time(int64_t ms, char *buf, size_t size);

/* "N denials in M groups; K would be enforced", a line for SELinux errors and one for copies
 * left out when there are any. */
int denials_print_summary(const struct denial_report *r, FILE *f);
/* The denial table, the SELinux error table, then the summary. */
int denials_print_table(const struct denial_report *r, FILE *f);
/* {"denials": [groups], "selinuxErrors": [groups], "summary": {counts}} */
int denials_print_json(const struct denial_report *r, FILE *f);
/* One allow rule per source, target and class with their permissions merged, and a roletype
 * for each invalid context the kernel refused, with comments on what was left out. */
int denials_print_cil(const struct denial_report *r, FILE *f);
/* {"selinux": {"modules": [{"name": "local-denials", "cil": ...}]}}, a block `validate` and
 * `apply` take. */
int denials_print_ignition(const struct denial_report *r, FILE *f);

/* --raw: one record as read, after a "# " line with its group key. */
int denials_print_record(const struct denial_report *r, const struct avc_record *rec, FILE *f);
/* --raw --json: one record as an element of a JSON array (first: no comma before). */
int denials_print_record_json(const struct denial_report *r, const struct avc_record *rec, bool first, FILE *f);
