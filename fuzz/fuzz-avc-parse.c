/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the audit record parser, fed line by line as the program feeds it, every
 * record counted into the report as it comes, then every output form (written to memory,
 * never printed): the table, JSON, CIL, the Ignition block, and --raw's records. Checks what
 * the parser promises of each record and what the report promises of its counts. Built and run
 * by fuzz/run.sh. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/avc-parse.h"
#include "report/denials.h"

static void check_record(const struct avc_record *d) {
        /* Every string field is printable ASCII, never NULL. */
        const char *fields[] = {d->comm, d->scontext, d->tcontext, d->tclass, d->stype, d->ttype,
                                d->kind == AVC_ERROR ? d->op : "", d->kind == AVC_ERROR ? d->detail : ""};
        for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
                for (const unsigned char *p = (const unsigned char *)fields[i]; *p; p++)
                        if (*p < 0x20 || *p >= 0x7f)
                                abort();
        for (size_t i = 1; i < d->n_perms; i++)
                if (strcmp(d->perms[i - 1], d->perms[i]) >= 0)
                        abort();
        if (d->permissive < -1 || d->permissive > 1 || (d->kind == AVC_ERROR && d->n_perms != 0))
                abort();
        if ((d->kind == AVC_DENIAL) != (d->op == NULL))
                abort();
        if (d->record_len > 0 && !d->record)
                abort();
}

struct state {
        struct denial_report rep;
        FILE *out;
        size_t n_records, n_counted;
};

static int on_record(void *userdata, struct avc_record *d) {
        struct state *s = userdata;
        check_record(d);
        s->n_records++;
        int q = denial_report_add(&s->rep, d);
        if (q < 0)
                return q;
        s->n_counted += (size_t)q;
        if (q > 0) {
                (void)denials_print_record(&s->rep, d, s->out);
                (void)denials_print_record_json(&s->rep, d, s->n_counted == 1, s->out);
        }
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static char *const domains[] = {"container_t"};
        struct state s = {0};
        struct avc_parser p;
        char *buf = NULL;
        size_t len = 0;

        if (denial_report_init(&s.rep, domains, size % 2) < 0)
                return 0;
        /* a small table of copies: its replacement of old entries is reached, and it is cheap */
        s.rep.seen_buckets = 4;
        s.out = open_memstream(&buf, &len);
        if (!s.out)
                goto out;
        avc_parser_init(&p, on_record, &s, size % 3 == 0);
        int r = avc_parse_buffer(&p, (const char *)data, size);
        avc_parser_free(&p);
        if (r < 0 || denial_report_finish(&s.rep) < 0)
                goto out;
        /* Every record is counted once or left out as a copy; groups account for all. */
        size_t in_groups = s.rep.n_ungrouped;
        for (size_t i = 0; i < s.rep.n_groups; i++)
                in_groups += s.rep.groups[i]->count;
        for (size_t i = 0; i < s.rep.n_error_groups; i++)
                in_groups += s.rep.errors[i]->count;
        if (s.n_counted + s.rep.n_duplicates != s.n_records || in_groups != s.n_counted ||
            s.rep.n_denials + s.rep.n_errors != s.n_counted || s.rep.n_enforced > s.rep.n_denials)
                abort();
        (void)denials_print_table(&s.rep, s.out);
        (void)denials_print_json(&s.rep, s.out);
        (void)denials_print_cil(&s.rep, s.out);
        (void)denials_print_ignition(&s.rep, s.out);
out:
        if (s.out)
                fclose(s.out);
        free(buf);
        denial_report_free(&s.rep);
        return 0;
}
