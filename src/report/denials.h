/* SPDX-License-Identifier: MIT */
/* The denial report: AVC denials (avc-parse.h) grouped by source type,
 * target type, class, permissions and command, answering "would enforcing
 * break this machine?". */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "avc-parse.h"
#include "report.h"

struct denial_group {
        const struct avc_denial *key; /* the first denial: its stype, ttype, tclass, perms, comm */
        const size_t *members;        /* indices into the list, in input order */
        size_t count;
        size_t n_permissive, n_enforcing; /* records with permissive=1, permissive=0 */
        bool has_time;
        int64_t first_ms, last_ms;
        /* The source is a domain the caller declared permissive: not enforced
         * under an enforcing system either. */
        bool permissive_domain;
};

struct denial_report {
        const struct avc_list *list; /* borrowed; must outlive the report */
        size_t *order;               /* every denial, grouped (members point here) */
        struct denial_group *groups; /* by count, descending, then by key */
        size_t n_groups;
        size_t n_denials, n_enforced;
};

/* Groups the denials of `list`. Every denial counts as one that enforcing
 * would enforce unless its source type is in permissive_domains (NULL when
 * n is 0). 0 or -ENOMEM. */
int denials_group(const struct avc_list *list, char *const *permissive_domains, size_t n_permissive_domains,
                  struct denial_report *r);
void denial_report_free(struct denial_report *r);

/* "yes", "no", "mixed", "?" (no record said), or "domain" (a permissive domain). */
const char *denial_group_permissive(const struct denial_group *g);
/* ISO-8601 UTC with milliseconds, "2023-11-14T22:13:20.123Z"; buf of at least 32 bytes. */
const char *denials_format_time(int64_t ms, char *buf, size_t size);

/* "N denials in M groups; K would be enforced", with a line feed. */
int denials_print_summary(const struct denial_report *r, FILE *f);
/* The table, one line per group, then the summary. */
int denials_print_table(const struct denial_report *r, FILE *f);
/* Every group's header line and its records as found, then the summary. */
int denials_print_raw(const struct denial_report *r, FILE *f);
/* A JSON array of groups; with_records adds each group's "records". */
int denials_print_json(const struct denial_report *r, bool with_records, FILE *f);
