/* SPDX-License-Identifier: MIT */
/* AVC denial records, found in any text: audit.log lines, journal output
 * (short, export, JSON), dmesg and console captures. Every "avc:  denied"
 * in a line is one record, however many share the line and whatever else
 * surrounds them; a field that is missing or cut off is "?". Nothing here
 * prints or logs. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Written for every field that is absent, cut off or empty. */
#define AVC_UNKNOWN "?"

enum avc_time_source {
        AVC_TIME_NONE,
        AVC_TIME_JOURNAL, /* the journal export entry's __REALTIME/_SOURCE_REALTIME_TIMESTAMP */
        AVC_TIME_AUDIT,   /* audit(SEC.MS:SERIAL) in front of the record */
};

struct avc_denial {
        /* The permission set, sorted and without duplicates; empty when the
         * record has no "{ ... }". Only [A-Za-z0-9_] characters. */
        char **perms;
        size_t n_perms;
        /* Printable ASCII (other bytes as \xHH), never NULL, AVC_UNKNOWN when
         * absent. comm is hex-decoded where auditd encoded it. */
        char *comm, *scontext, *tcontext, *tclass;
        /* The 3rd field of scontext and tcontext, or AVC_UNKNOWN. */
        char *stype, *ttype;
        int permissive; /* 0, 1, or -1 when absent or neither */
        enum avc_time_source time_source;
        int64_t time_ms; /* Unix time in milliseconds, when time_source != AVC_TIME_NONE */
        uint64_t serial; /* the audit event serial, 0 when unknown */
        /* The record's original text (its prefix, such as "type=AVC
         * msg=audit(...): ", included), as found: may hold any byte. NULL
         * (and record_len 0) when the parser was told not to keep it. */
        char *record;
        size_t record_len;
};

struct avc_list {
        struct avc_denial *items;
        size_t n, allocated;
};

/* Line by line, with what carries over between lines (journal export
 * entries span several lines). */
struct avc_parser {
        struct avc_list *list;
        bool keep_records; /* true after avc_parser_init() */
        size_t entry_start; /* first denial of the current journal export entry */
        enum { AVC_ENTRY_TIME_NONE, AVC_ENTRY_TIME_RECEIVED, AVC_ENTRY_TIME_SOURCE } entry_time;
        int64_t entry_time_ms;
};

void avc_parser_init(struct avc_parser *p, struct avc_list *list);
/* One line, without its line feed (trailing CRs are ignored); may hold NULs.
 * Appends every denial found to p->list. 0 or -ENOMEM. */
int avc_parse_line(struct avc_parser *p, const char *line, size_t len);
/* A whole text, split at line feeds. 0 or -ENOMEM. */
int avc_parse_buffer(const char *buf, size_t len, struct avc_list *list);
/* All of a stream; without keep_records, each denial's record is left
 * NULL (a third of the memory). 0, -ENOMEM, or the negative errno of a read
 * error. */
int avc_parse_stream(FILE *f, bool keep_records, struct avc_list *list);

void avc_list_free(struct avc_list *list);

/* The type of a context, its 3rd colon-separated field, as a new string;
 * AVC_UNKNOWN where there is none. NULL on ENOMEM. */
char *avc_context_type(const char *context);
