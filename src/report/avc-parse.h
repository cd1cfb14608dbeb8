/* SPDX-License-Identifier: MIT */
/* SELinux audit records found in any text: audit.log lines (raw or as `ausearch -i` interprets
 * them), journal output (every journalctl -o form), dmesg and console captures.
 * Two kinds: AVC denials ("avc:  denied", USER_AVC included) and SELinux errors (SELINUX_ERR,
 * USER_SELINUX_ERR: invalid contexts, refused transitions). Every record in a line counts,
 * however many share the line and whatever else surrounds them; a field that is missing or cut
 * off is "?". The parser streams: it hands each record to a callback as soon as what applies to
 * it is known, and keeps nothing after. Nothing here prints or logs. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Written for every field that is absent, cut off or empty. */
#define AVC_UNKNOWN "?"
/* avc_parse_stream() skips longer lines (counted) instead of holding them. */
#define AVC_LINE_MAX 65536

enum avc_kind {
        AVC_DENIAL,
        AVC_ERROR, /* SELINUX_ERR, USER_SELINUX_ERR */
};

enum avc_time_source {
        AVC_TIME_NONE,
        AVC_TIME_LINE,    /* the time in front of a journalctl -o short-iso, short-unix or short-full line */
        AVC_TIME_JOURNAL, /* the journal entry's _SOURCE_REALTIME_TIMESTAMP or __REALTIME_TIMESTAMP */
        AVC_TIME_AUDIT,   /* audit(SEC.MS:SERIAL) in front of the record, or its ausearch -i form */
};

struct avc_record {
        enum avc_kind kind;
        /* Denials: the permission set, sorted and without duplicates; empty when the record has
         * no "{ ... }". Only [A-Za-z0-9_] characters. */
        char **perms;
        size_t n_perms;
        /* Printable ASCII (other bytes as \xHH), never NULL, AVC_UNKNOWN when absent. comm is
         * hex-decoded where auditd encoded it. For an error, scontext and tcontext are its
         * source and target: scontext, else taskcontext, else oldcontext; tcontext, else
         * oldcontext (when not the source), else newcontext. */
        char *comm, *scontext, *tcontext, *tclass;
        /* The 3rd field of scontext and tcontext, or AVC_UNKNOWN. */
        char *stype, *ttype;
        /* Errors: the operation ("security_compute_sid", ...) and what was refused: the invalid
         * context, else the new context, else "perms=..."; NULL for denials. */
        char *op, *detail;
        int permissive; /* 0, 1, or -1 when absent or neither */
        enum avc_time_source time_source;
        int64_t time_ms; /* Unix time in milliseconds, when time_source != AVC_TIME_NONE */
        /* The audit event's time and serial, from its audit(...) stamp or the journal's
         * _SOURCE_REALTIME_TIMESTAMP and _AUDIT_ID: every copy of one event has the same.
         * stamp_ms is -1 and serial 0 when unknown. */
        int64_t stamp_ms;
        uint64_t serial;
        /* A keyed hash of the record's body (from "avc:", or the error's fields, to its end),
         * with runs of white space folded: copies of one record from kmsg and from the audit
         * socket have the same. */
        uint64_t body_hash;
        bool interpreted; /* written by ausearch -i: no value is hex-encoded */
        /* The record's original text (its prefix, such as "type=AVC msg=audit(...): ",
         * included), as found: may hold any byte. NULL (and record_len 0) unless the parser
         * was told to keep it. */
        char *record;
        size_t record_len;
};

void avc_record_free(struct avc_record *r);

/* Called with each record, in input order. Returns a negative errno to stop the parse, 0 to
 * let the parser free the record, 1 when it took the record (and must free it). */
typedef int (*avc_emit_fn)(void *userdata, struct avc_record *r);

/* Line by line, with what carries over between lines: a journal entry (export, verbose,
 * json-pretty) spans several, and its records are handed over when it ends. */
struct avc_parser {
        avc_emit_fn emit;
        void *userdata;
        bool keep_records;
        bool in_entry;
        int64_t entry_received_ms, entry_source_ms; /* -1 when not seen */
        uint64_t entry_serial;
        struct avc_record *pending; /* the current entry's records */
        size_t n_pending, allocated_pending, pending_bytes;
        char *scratch; /* the body, folded, for its hash */
        size_t scratch_size;
        /* json-pretty writes a MESSAGE that is not text as an array of numbers, one a line */
        bool in_bytes;
        char *bytes;
        size_t n_bytes;
};

void avc_parser_init(struct avc_parser *p, avc_emit_fn emit, void *userdata, bool keep_records);
/* One line, without its line feed (trailing CRs are ignored); may hold NULs. 0, or the first
 * negative errno of the callback or of an allocation. */
int avc_parse_line(struct avc_parser *p, const char *line, size_t len);
/* The end of the input: hands over the records of an entry still open. */
int avc_parser_finish(struct avc_parser *p);
void avc_parser_free(struct avc_parser *p);

/* A whole text, split at line feeds, however long its lines. */
int avc_parse_buffer(struct avc_parser *p, const char *buf, size_t len);
/* All of a stream, in one pass and bounded memory: a line longer than AVC_LINE_MAX bytes is
 * skipped, not held, and counted in *n_skipped. Calls avc_parser_finish(). 0, a negative errno
 * of the parser, or that of a read error. */
int avc_parse_stream(struct avc_parser *p, FILE *f, size_t *n_skipped);

/* A collector, for tests and the fuzzer: every record of a text, kept. */
struct avc_list {
        struct avc_record *items;
        size_t n, allocated;
};
int avc_list_parse(const char *buf, size_t len, struct avc_list *list);
/* The callback avc_list_parse() gives the parser: userdata is the list. */
int avc_list_collect(void *userdata, struct avc_record *r);
void avc_list_free(struct avc_list *list);

/* The type of a context, its 3rd colon-separated field, as a new string; AVC_UNKNOWN where
 * there is none. NULL on ENOMEM. */
char *avc_context_type(const char *context);
/* The keyed hash the parser uses (its key is random, drawn once per process). */
uint64_t avc_hash(const void *data, size_t len, uint64_t tweak);
