/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the AVC record parser, then the grouping and every
 * output form (written to memory, never printed). Build and run:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -std=gnu11 -Isrc \
 *         $(pkg-config --cflags json-c) -o build/fuzz-avc-parse fuzz/fuzz-avc-parse.c \
 *         src/avc-parse.c src/denials.c src/log.c $(pkg-config --libs json-c)
 *   mkdir -p build/fuzz-corpus && build/fuzz-avc-parse -max_total_time=120 \
 *         build/fuzz-corpus tests/data/denials
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/avc-parse.h"
#include "report/denials.h"

static void check_denial(const struct avc_denial *d) {
        /* Every string field is printable ASCII, never NULL. */
        const char *fields[] = {d->comm, d->scontext, d->tcontext, d->tclass, d->stype, d->ttype};
        for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
                for (const unsigned char *p = (const unsigned char *)fields[i]; *p; p++)
                        if (*p < 0x20 || *p >= 0x7f)
                                abort();
        for (size_t i = 1; i < d->n_perms; i++)
                if (strcmp(d->perms[i - 1], d->perms[i]) >= 0)
                        abort();
        if (d->permissive < -1 || d->permissive > 1)
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct avc_list list = {0};
        struct denial_report rep = {0};
        char *buf = NULL;
        size_t len = 0;
        static char *const domains[] = {"container_t"};

        if (avc_parse_buffer((const char *)data, size, &list) < 0)
                goto out;
        for (size_t i = 0; i < list.n; i++)
                check_denial(&list.items[i]);
        if (denials_group(&list, domains, size % 2, &rep) < 0)
                goto out;
        size_t total = 0;
        for (size_t i = 0; i < rep.n_groups; i++)
                total += rep.groups[i].count;
        if (total != list.n || rep.n_enforced > list.n)
                abort();
        FILE *f = open_memstream(&buf, &len);
        if (!f)
                goto out;
        (void)denials_print_table(&rep, f);
        (void)denials_print_raw(&rep, f);
        (void)denials_print_json(&rep, size % 3 == 0, f);
        fclose(f);
out:
        free(buf);
        denial_report_free(&rep);
        avc_list_free(&list);
        return 0;
}
