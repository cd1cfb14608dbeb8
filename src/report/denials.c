/* SPDX-License-Identifier: MIT */
/* Counting records into groups as they are read, and printing them: the table, JSON, CIL, an
 * Ignition block, and --raw's records as read. Groups live in search trees (tsearch: balanced,
 * so no input can make a lookup slow) and are sorted once at the end. */
#include "denials.h"

#include <errno.h>
#include <inttypes.h>
#include <search.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <json.h>

#include "lib/log.h"
#include "lib/util.h"

/* ---- copies already counted ----
 * A fixed table of recently counted records' keys (two per stamped record, one per other):
 * 4-way buckets, the oldest entry of a full bucket replaced. The journal's two copies of an
 * event (from kmsg and from the audit socket) are written within milliseconds of each other, so
 * a window of the last ~65,000 records finds them while the table stays 2 MiB whatever the
 * input. Keys are keyed hashes (avc_hash), so no input can choose which records look alike. */
#define SEEN_BUCKETS 32768
#define SEEN_WAYS 4

enum seen_kind {
        SEEN_NONE,
        SEEN_EVENT,     /* audit serial, stamp time and body of a counted record */
        SEEN_STAMPED,   /* body of a counted record with a serial, not yet paired */
        SEEN_STAMPLESS, /* body of a counted record without one (journal short's audit[PID]: copy) */
};

struct seen_entry {
        uint64_t key;
        uint32_t age;
        uint8_t kind;
};

struct seen {
        uint32_t clock;
        size_t buckets;
        struct seen_entry e[][SEEN_WAYS];
};

static struct seen_entry *seen_find(struct seen *s, uint64_t key, enum seen_kind kind) {
        struct seen_entry *b = s->e[key % s->buckets];
        for (int i = 0; i < SEEN_WAYS; i++)
                if (b[i].kind == kind && b[i].key == key)
                        return &b[i];
        return NULL;
}

static void seen_add(struct seen *s, uint64_t key, enum seen_kind kind) {
        struct seen_entry *b = s->e[key % s->buckets], *victim = &b[0];
        for (int i = 0; i < SEEN_WAYS; i++) {
                if (b[i].kind == SEEN_NONE) {
                        victim = &b[i];
                        break;
                }
                if (s->clock - b[i].age > s->clock - victim->age)
                        victim = &b[i];
        }
        *victim = (struct seen_entry){.key = key, .age = ++s->clock, .kind = (uint8_t)kind};
}

static uint64_t event_key(const struct avc_record *rec) {
        struct {
                uint64_t serial, body;
                int64_t stamp;
        } k = {rec->serial, rec->body_hash, rec->stamp_ms};
        return avc_hash(&k, sizeof(k), 0x5e71a1);
}

/* ---- groups ---- */

static int cmp_perms(char *const *a, size_t na, char *const *b, size_t nb) {
        for (size_t i = 0; i < na && i < nb; i++) {
                int c = strcmp(a[i], b[i]);
                if (c != 0)
                        return c;
        }
        return na < nb ? -1 : na > nb;
}

static int cmp_denial_key(const void *x, const void *y) {
        const struct denial_group *a = x, *b = y;
        int c;

        if ((c = strcmp(a->stype, b->stype)) || (c = strcmp(a->ttype, b->ttype)) || (c = strcmp(a->tclass, b->tclass)) ||
            (c = cmp_perms(a->perms, a->n_perms, b->perms, b->n_perms)))
                return c;
        return strcmp(a->comm, b->comm);
}

static int cmp_error_key(const void *x, const void *y) {
        const struct error_group *a = x, *b = y;
        int c;

        if ((c = strcmp(a->op, b->op)) || (c = strcmp(a->stype, b->stype)) || (c = strcmp(a->ttype, b->ttype)) ||
            (c = strcmp(a->tclass, b->tclass)))
                return c;
        return strcmp(a->detail, b->detail);
}

static void denial_group_free(void *p) {
        struct denial_group *g = p;
        if (!g)
                return;
        strv_free(g->perms, g->n_perms);
        free(g->stype);
        free(g->ttype);
        free(g->tclass);
        free(g->comm);
        free(g);
}

static void error_group_free(void *p) {
        struct error_group *g = p;
        if (!g)
                return;
        free(g->op);
        free(g->stype);
        free(g->ttype);
        free(g->tclass);
        free(g->detail);
        free(g);
}

static bool in_list(const char *s, char *const *v, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (streq(s, v[i]))
                        return true;
        return false;
}

static void add_time(bool *has, int64_t *first, int64_t *last, const struct avc_record *rec) {
        if (rec->time_source == AVC_TIME_NONE)
                return;
        if (!*has || rec->time_ms < *first)
                *first = rec->time_ms;
        if (!*has || rec->time_ms > *last)
                *last = rec->time_ms;
        *has = true;
}

/* A node of glibc's tree and malloc's own bookkeeping, counted against the bound. */
#define NODE_OVERHEAD 64

static struct denial_group denial_probe(const struct avc_record *rec) {
        return (struct denial_group){.stype = rec->stype,
                                     .ttype = rec->ttype,
                                     .tclass = rec->tclass,
                                     .comm = rec->comm,
                                     .perms = rec->perms,
                                     .n_perms = rec->n_perms};
}

static struct error_group error_probe(const struct avc_record *rec) {
        return (struct error_group){
                .op = rec->op, .stype = rec->stype, .ttype = rec->ttype, .tclass = rec->tclass, .detail = rec->detail};
}

/* The group of a denial, made if new and within the bound: 1 found or made, 0 past the
 * bound, -ENOMEM. */
static int denial_group_of(struct denial_report *r, const struct avc_record *rec, bool create,
                           struct denial_group **ret) {
        struct denial_group probe = denial_probe(rec);
        void **node = tfind(&probe, &r->denial_tree, cmp_denial_key);

        if (node) {
                *ret = *node;
                return 1;
        }
        if (!create)
                return 0;
        size_t size = sizeof(struct denial_group) + NODE_OVERHEAD + strlen(rec->stype) + strlen(rec->ttype) +
                      strlen(rec->tclass) + strlen(rec->comm) + 4 + rec->n_perms * sizeof(char *);
        for (size_t i = 0; i < rec->n_perms; i++)
                size += strlen(rec->perms[i]) + 1;
        if (r->group_bytes + size > r->group_bytes_max)
                return 0;
        struct denial_group *g = calloc(1, sizeof(*g));
        if (!g)
                return -ENOMEM;
        g->stype = strdup(rec->stype);
        g->ttype = strdup(rec->ttype);
        g->tclass = strdup(rec->tclass);
        g->comm = strdup(rec->comm);
        g->perms = rec->n_perms ? calloc(rec->n_perms, sizeof(char *)) : NULL;
        bool ok = g->stype && g->ttype && g->tclass && g->comm && (g->perms || rec->n_perms == 0);
        for (size_t i = 0; ok && i < rec->n_perms; i++, g->n_perms++)
                ok = (g->perms[i] = strdup(rec->perms[i]));
        g->permissive_domain = in_list(rec->stype, r->permissive_domains, r->n_permissive_domains);
        if (!ok || !tsearch(g, &r->denial_tree, cmp_denial_key)) {
                denial_group_free(g);
                return -ENOMEM;
        }
        r->group_bytes += size;
        r->n_groups++;
        *ret = g;
        return 1;
}

static int error_group_of(struct denial_report *r, const struct avc_record *rec, bool create, struct error_group **ret) {
        struct error_group probe = error_probe(rec);
        void **node = tfind(&probe, &r->error_tree, cmp_error_key);

        if (node) {
                *ret = *node;
                return 1;
        }
        if (!create)
                return 0;
        size_t size = sizeof(struct error_group) + NODE_OVERHEAD + strlen(rec->op) + strlen(rec->stype) +
                      strlen(rec->ttype) + strlen(rec->tclass) + strlen(rec->detail) + 5;
        if (r->group_bytes + size > r->group_bytes_max)
                return 0;
        struct error_group *g = calloc(1, sizeof(*g));
        if (!g)
                return -ENOMEM;
        g->op = strdup(rec->op);
        g->stype = strdup(rec->stype);
        g->ttype = strdup(rec->ttype);
        g->tclass = strdup(rec->tclass);
        g->detail = strdup(rec->detail);
        if (!g->op || !g->stype || !g->ttype || !g->tclass || !g->detail ||
            !tsearch(g, &r->error_tree, cmp_error_key)) {
                error_group_free(g);
                return -ENOMEM;
        }
        r->group_bytes += size;
        r->n_error_groups++;
        *ret = g;
        return 1;
}

int denial_report_init(struct denial_report *r, char *const *permissive_domains, size_t n_permissive_domains) {
        *r = (struct denial_report){.permissive_domains = permissive_domains,
                                    .n_permissive_domains = n_permissive_domains,
                                    .group_bytes_max = GROUPS_MAX_BYTES,
                                    .seen_buckets = SEEN_BUCKETS};
        return 0;
}

/* A copy of a record counted before: when that one had no stamp, this one brings the time. */
static int fold_time(struct denial_report *r, const struct avc_record *rec) {
        int q;
        if (rec->kind == AVC_DENIAL) {
                struct denial_group *g;
                if ((q = denial_group_of(r, rec, false, &g)) > 0)
                        add_time(&g->has_time, &g->first_ms, &g->last_ms, rec);
        } else {
                struct error_group *g;
                if ((q = error_group_of(r, rec, false, &g)) > 0)
                        add_time(&g->has_time, &g->first_ms, &g->last_ms, rec);
        }
        return q < 0 ? q : 0;
}

int denial_report_add(struct denial_report *r, const struct avc_record *rec) {
        struct seen_entry *e;
        int q;

        if (!r->seen) {
                /* made with the first record: a report of nothing costs nothing */
                r->seen = calloc(1, sizeof(struct seen) + r->seen_buckets * sizeof(r->seen->e[0]));
                if (!r->seen)
                        return -ENOMEM;
                r->seen->buckets = r->seen_buckets;
        }

        if (rec->serial != 0) {
                uint64_t k = event_key(rec);
                if (seen_find(r->seen, k, SEEN_EVENT)) {
                        r->n_duplicates++;
                        return 0;
                }
                seen_add(r->seen, k, SEEN_EVENT);
                /* the stamped copy of a record counted from journal short's audit[PID]: line */
                if ((e = seen_find(r->seen, rec->body_hash, SEEN_STAMPLESS))) {
                        e->kind = SEEN_NONE;
                        r->n_duplicates++;
                        return fold_time(r, rec);
                }
                seen_add(r->seen, rec->body_hash, SEEN_STAMPED);
        } else {
                if ((e = seen_find(r->seen, rec->body_hash, SEEN_STAMPED))) {
                        e->kind = SEEN_NONE;
                        r->n_duplicates++;
                        return 0;
                }
                seen_add(r->seen, rec->body_hash, SEEN_STAMPLESS);
        }

        if (rec->kind == AVC_ERROR) {
                struct error_group *g;
                r->n_errors++;
                if ((q = error_group_of(r, rec, true, &g)) < 0)
                        return q;
                if (q == 0) {
                        r->n_ungrouped++;
                        return 1;
                }
                g->count++;
                add_time(&g->has_time, &g->first_ms, &g->last_ms, rec);
                return 1;
        }
        struct denial_group *g;
        r->n_denials++;
        if (!in_list(rec->stype, r->permissive_domains, r->n_permissive_domains))
                r->n_enforced++;
        if ((q = denial_group_of(r, rec, true, &g)) < 0)
                return q;
        if (q == 0) {
                r->n_ungrouped++;
                return 1;
        }
        g->count++;
        g->n_permissive += rec->permissive == 1;
        g->n_enforcing += rec->permissive == 0;
        add_time(&g->has_time, &g->first_ms, &g->last_ms, rec);
        return 1;
}

struct collect {
        void **v;
        size_t n;
};

static void collect_node(const void *node, VISIT which, void *closure) {
        struct collect *c = closure;
        if (which == postorder || which == leaf)
                c->v[c->n++] = *(void *const *)node;
}

static int cmp_denial_group(const void *x, const void *y) {
        const struct denial_group *a = *(const struct denial_group *const *)x, *b = *(const struct denial_group *const *)y;
        if (a->count != b->count)
                return a->count > b->count ? -1 : 1;
        return cmp_denial_key(a, b);
}

static int cmp_error_group(const void *x, const void *y) {
        const struct error_group *a = *(const struct error_group *const *)x, *b = *(const struct error_group *const *)y;
        if (a->count != b->count)
                return a->count > b->count ? -1 : 1;
        return cmp_error_key(a, b);
}

int denial_report_finish(struct denial_report *r) {
        struct collect c;

        free(r->groups);
        free(r->errors);
        r->groups = calloc(r->n_groups + 1, sizeof(*r->groups));
        r->errors = calloc(r->n_error_groups + 1, sizeof(*r->errors));
        if (!r->groups || !r->errors)
                return -ENOMEM;
        c = (struct collect){(void **)r->groups, 0};
        twalk_r(r->denial_tree, collect_node, &c);
        c = (struct collect){(void **)r->errors, 0};
        twalk_r(r->error_tree, collect_node, &c);
        qsort(r->groups, r->n_groups, sizeof(*r->groups), cmp_denial_group);
        qsort(r->errors, r->n_error_groups, sizeof(*r->errors), cmp_error_group);
        return 0;
}

void denial_report_free(struct denial_report *r) {
        tdestroy(r->denial_tree, denial_group_free);
        tdestroy(r->error_tree, error_group_free);
        free(r->groups);
        free(r->errors);
        free(r->seen);
        *r = (struct denial_report){0};
}

const char *denial_group_permissive(const struct denial_group *g) {
        if (g->permissive_domain)
                return "domain";
        if (g->n_permissive && g->n_enforcing)
                return "mixed";
        if (g->n_permissive)
                return "yes";
        if (g->n_enforcing)
                return "no";
        return AVC_UNKNOWN;
}

const char *denials_format_time(int64_t ms, char *buf, size_t size) {
        time_t sec = (time_t)(ms / 1000);
        struct tm tm;

        if (ms < 0 || !gmtime_r(&sec, &tm) ||
            (size_t)snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000)) >= size)
                snprintf(buf, size, "%s", AVC_UNKNOWN);
        return buf;
}

static void group_times(bool has, int64_t first_ms, int64_t last_ms, char first[32], char last[32]) {
        strcpy(first, AVC_UNKNOWN);
        strcpy(last, AVC_UNKNOWN);
        if (has) {
                denials_format_time(first_ms, first, 32);
                denials_format_time(last_ms, last, 32);
        }
}

static char *join(char *const *v, size_t n, const char *sep) {
        size_t len = sizeof(AVC_UNKNOWN);
        for (size_t i = 0; i < n; i++)
                len += strlen(v[i]) + strlen(sep);
        char *s = malloc(len), *o = s;
        if (!s)
                return NULL;
        if (n == 0)
                return strcpy(s, AVC_UNKNOWN);
        for (size_t i = 0; i < n; i++)
                o = stpcpy(i ? stpcpy(o, sep) : o, v[i]);
        return s;
}

static int check_written(FILE *f) {
        return fflush(f) == 0 && !ferror(f) ? 0 : (errno > 0 ? -errno : -EIO);
}

static const char *plural(size_t n) { return n == 1 ? "" : "s"; }

int denials_print_summary(const struct denial_report *r, FILE *f) {
        fprintf(f, "%zu denial%s in %zu group%s; %zu would be enforced\n", r->n_denials, plural(r->n_denials),
                r->n_groups, plural(r->n_groups), r->n_enforced);
        if (r->n_errors)
                fprintf(f, "%zu SELinux error%s (invalid contexts, refused transitions) in %zu group%s; %zu would be refused\n",
                        r->n_errors, plural(r->n_errors), r->n_error_groups, plural(r->n_error_groups), r->n_errors);
        if (r->n_duplicates)
                fprintf(f, "%zu cop%s of records already counted left out (the same audit event read twice)\n",
                        r->n_duplicates, r->n_duplicates == 1 ? "y" : "ies");
        return check_written(f);
}

/* A table: a header and rows of cells, each column as wide as its widest cell; the first
 * column right-aligned. */
static void print_rows(FILE *f, size_t ncol, const char *const *header, char **cells, size_t nrows) {
        size_t width[16];
        for (size_t c = 0; c < ncol; c++) {
                width[c] = strlen(header[c]);
                for (size_t i = 0; i < nrows; i++)
                        if (strlen(cells[i * ncol + c]) > width[c])
                                width[c] = strlen(cells[i * ncol + c]);
        }
        for (size_t i = 0; i <= nrows; i++) {
                const char *const *row = i == 0 ? header : (const char *const *)&cells[(i - 1) * ncol];
                for (size_t c = 0; c < ncol; c++) {
                        if (c == 0)
                                fprintf(f, "%*s", (int)width[c], row[c]);
                        else if (c == ncol - 1)
                                fprintf(f, "  %s\n", row[c]);
                        else
                                fprintf(f, "  %-*s", (int)width[c], row[c]);
                }
        }
}

/* Fills row i's cells; a cell left NULL is an allocation that failed. */
typedef void (*row_fn)(const struct denial_report *r, size_t i, char **c);

static int print_table(const struct denial_report *r, FILE *f, const char *const *header, size_t ncol,
                       size_t nrows, row_fn row) {
        char **cells = calloc(nrows * ncol + 1, sizeof(char *));
        int q = 0;

        if (!cells)
                return -ENOMEM;
        for (size_t i = 0; i < nrows && q == 0; i++) {
                row(r, i, &cells[i * ncol]);
                for (size_t k = 0; k < ncol; k++)
                        if (!cells[i * ncol + k])
                                q = -ENOMEM;
        }
        if (q == 0)
                print_rows(f, ncol, header, cells, nrows);
        strv_free(cells, nrows * ncol);
        return q;
}

static const char *const denial_header[] = {"COUNT", "SOURCE",     "TARGET", "CLASS", "PERMISSIONS",
                                            "COMM",  "PERMISSIVE", "FIRST",  "LAST"};

static void denial_row(const struct denial_report *r, size_t i, char **c) {
        const struct denial_group *g = r->groups[i];
        char first[32], last[32];

        group_times(g->has_time, g->first_ms, g->last_ms, first, last);
        if (asprintf(&c[0], "%zu", g->count) < 0)
                c[0] = NULL;
        c[1] = strdup(g->stype);
        c[2] = strdup(g->ttype);
        c[3] = strdup(g->tclass);
        c[4] = join(g->perms, g->n_perms, ",");
        c[5] = strdup(g->comm);
        c[6] = strdup(denial_group_permissive(g));
        c[7] = strdup(first);
        c[8] = strdup(last);
}

static const char *const error_header[] = {"COUNT", "ERROR", "SOURCE", "TARGET", "CLASS", "DETAIL", "FIRST", "LAST"};

static void error_row(const struct denial_report *r, size_t i, char **c) {
        const struct error_group *g = r->errors[i];
        char first[32], last[32];

        group_times(g->has_time, g->first_ms, g->last_ms, first, last);
        if (asprintf(&c[0], "%zu", g->count) < 0)
                c[0] = NULL;
        c[1] = strdup(g->op);
        c[2] = strdup(g->stype);
        c[3] = strdup(g->ttype);
        c[4] = strdup(g->tclass);
        c[5] = strdup(g->detail);
        c[6] = strdup(first);
        c[7] = strdup(last);
}

int denials_print_table(const struct denial_report *r, FILE *f) {
        int q;

        if (r->n_groups > 0) {
                if ((q = print_table(r, f, denial_header, ELEMENTSOF(denial_header), r->n_groups, denial_row)) < 0)
                        return q;
                fputc('\n', f);
        }
        if (r->n_error_groups > 0) {
                if ((q = print_table(r, f, error_header, ELEMENTSOF(error_header), r->n_error_groups, error_row)) < 0)
                        return q;
                fputc('\n', f);
        }
        return denials_print_summary(r, f);
}

/* A record as found (empty if not kept), control bytes (NUL, ESC, CR...) but tab written \xHH so
 * that the terminal shows them; with ascii, every other non-ASCII byte too. */
static char *record_text(const struct avc_record *d, bool ascii) {
        static const char hex[] = "0123456789abcdef";
        char *s = malloc(d->record_len * 4 + 1), *o = s;

        if (!s)
                return NULL;
        for (size_t i = 0; i < d->record_len; i++) {
                unsigned char c = (unsigned char)d->record[i];
                if ((c >= 0x20 && c != 0x7f && (c < 0x80 || !ascii)) || c == '\t')
                        *o++ = (char)c;
                else {
                        *o++ = '\\';
                        *o++ = 'x';
                        *o++ = hex[c >> 4];
                        *o++ = hex[c & 15];
                }
        }
        /* Trailing separators of the record belong to no field. */
        while (o > s && (o[-1] == ' ' || o[-1] == '\t'))
                o--;
        *o = 0;
        return s;
}

static const char *record_permissive(const struct denial_report *r, const struct avc_record *rec) {
        if (in_list(rec->stype, r->permissive_domains, r->n_permissive_domains))
                return "domain";
        return rec->permissive == 1 ? "yes" : rec->permissive == 0 ? "no" : AVC_UNKNOWN;
}

int denials_print_record(const struct denial_report *r, const struct avc_record *rec, FILE *f) {
        _cleanup_free_ char *text = record_text(rec, false);
        char t[32] = AVC_UNKNOWN;

        if (!text)
                return -ENOMEM;
        if (rec->time_source != AVC_TIME_NONE)
                denials_format_time(rec->time_ms, t, sizeof(t));
        if (rec->kind == AVC_ERROR)
                fprintf(f, "# SELinux error %s: %s -> %s:%s %s time=%s\n", rec->op, rec->stype, rec->ttype, rec->tclass,
                        rec->detail, t);
        else {
                _cleanup_free_ char *perms = join(rec->perms, rec->n_perms, " ");
                if (!perms)
                        return -ENOMEM;
                fprintf(f, "# %s -> %s:%s { %s } comm=%s permissive=%s time=%s\n", rec->stype, rec->ttype, rec->tclass,
                        perms, rec->comm, record_permissive(r, rec), t);
        }
        fprintf(f, "%s\n", text);
        return ferror(f) ? -EIO : 0;
}

static int add_string(json_object *o, const char *key, const char *value) {
        json_object *v = json_object_new_string(value);
        if (!v || json_object_object_add(o, key, v) < 0) {
                json_object_put(v);
                return -ENOMEM;
        }
        return 0;
}

static int add_int(json_object *o, const char *key, size_t value) {
        json_object *v = json_object_new_int64((int64_t)value);
        if (!v || json_object_object_add(o, key, v) < 0) {
                json_object_put(v);
                return -ENOMEM;
        }
        return 0;
}

static int add_strings(json_object *o, const char *key, char *const *v, size_t n) {
        json_object *a = json_object_new_array();
        int q = a ? 0 : -ENOMEM;
        for (size_t i = 0; q >= 0 && i < n; i++) {
                json_object *s = json_object_new_string(v[i]);
                if (!s || json_object_array_add(a, s) < 0) {
                        json_object_put(s);
                        q = -ENOMEM;
                }
        }
        if (q >= 0 && json_object_object_add(o, key, a) < 0)
                q = -ENOMEM;
        if (q < 0)
                json_object_put(a);
        return q;
}

static int array_add(json_object *a, json_object *o) {
        if (!o || json_object_array_add(a, o) < 0) {
                json_object_put(o);
                return -ENOMEM;
        }
        return 0;
}

static int print_json_value(json_object *o, int flags, FILE *f) {
        const char *s = json_object_to_json_string_ext(o, flags | JSON_C_TO_STRING_NOSLASHESCAPE);
        if (!s)
                return -ENOMEM;
        fputs(s, f);
        return 0;
}

int denials_print_record_json(const struct denial_report *r, const struct avc_record *rec, bool first, FILE *f) {
        _cleanup_free_ char *text = record_text(rec, true);
        char t[32] = AVC_UNKNOWN;
        json_object *o = json_object_new_object();
        int q = text && o ? 0 : -ENOMEM;

        if (rec->time_source != AVC_TIME_NONE)
                denials_format_time(rec->time_ms, t, sizeof(t));
        if (q >= 0)
                q = add_string(o, "kind", rec->kind == AVC_ERROR ? "selinuxError" : "denial");
        if (q >= 0 && rec->kind == AVC_ERROR)
                q = add_string(o, "error", rec->op);
        if (q >= 0)
                q = add_string(o, "source", rec->stype);
        if (q >= 0)
                q = add_string(o, "target", rec->ttype);
        if (q >= 0)
                q = add_string(o, "class", rec->tclass);
        if (q >= 0 && rec->kind == AVC_ERROR)
                q = add_string(o, "detail", rec->detail);
        if (q >= 0 && rec->kind == AVC_DENIAL)
                q = add_strings(o, "permissions", rec->perms, rec->n_perms);
        if (q >= 0 && rec->kind == AVC_DENIAL)
                q = add_string(o, "comm", rec->comm);
        if (q >= 0 && rec->kind == AVC_DENIAL)
                q = add_string(o, "permissive", record_permissive(r, rec));
        if (q >= 0)
                q = add_string(o, "time", t);
        if (q >= 0)
                q = add_string(o, "record", text);
        if (q >= 0) {
                fputs(first ? "" : ",\n", f);
                q = print_json_value(o, JSON_C_TO_STRING_SPACED, f);
        }
        json_object_put(o);
        return q < 0 ? q : ferror(f) ? -EIO : 0;
}

static json_object *denial_group_json(const struct denial_group *g) {
        char first[32], last[32];
        json_object *o = json_object_new_object();
        int q = o ? 0 : -ENOMEM;

        group_times(g->has_time, g->first_ms, g->last_ms, first, last);
        if (q >= 0)
                q = add_string(o, "source", g->stype);
        if (q >= 0)
                q = add_string(o, "target", g->ttype);
        if (q >= 0)
                q = add_string(o, "class", g->tclass);
        if (q >= 0)
                q = add_strings(o, "permissions", g->perms, g->n_perms);
        if (q >= 0)
                q = add_string(o, "comm", g->comm);
        if (q >= 0)
                q = add_int(o, "count", g->count);
        if (q >= 0)
                q = add_string(o, "first", first);
        if (q >= 0)
                q = add_string(o, "last", last);
        if (q >= 0)
                q = add_string(o, "permissive", denial_group_permissive(g));
        if (q < 0) {
                json_object_put(o);
                return NULL;
        }
        return o;
}

static json_object *error_group_json(const struct error_group *g) {
        char first[32], last[32];
        json_object *o = json_object_new_object();
        int q = o ? 0 : -ENOMEM;

        group_times(g->has_time, g->first_ms, g->last_ms, first, last);
        if (q >= 0)
                q = add_string(o, "error", g->op);
        if (q >= 0)
                q = add_string(o, "source", g->stype);
        if (q >= 0)
                q = add_string(o, "target", g->ttype);
        if (q >= 0)
                q = add_string(o, "class", g->tclass);
        if (q >= 0)
                q = add_string(o, "detail", g->detail);
        if (q >= 0)
                q = add_int(o, "count", g->count);
        if (q >= 0)
                q = add_string(o, "first", first);
        if (q >= 0)
                q = add_string(o, "last", last);
        if (q < 0) {
                json_object_put(o);
                return NULL;
        }
        return o;
}

int denials_print_json(const struct denial_report *r, FILE *f) {
        json_object *top = json_object_new_object(), *groups = json_object_new_array(),
                    *errors = json_object_new_array(), *sum = json_object_new_object();
        int q = top && groups && errors && sum ? 0 : -ENOMEM;

        for (size_t i = 0; q >= 0 && i < r->n_groups; i++)
                q = array_add(groups, denial_group_json(r->groups[i]));
        for (size_t i = 0; q >= 0 && i < r->n_error_groups; i++)
                q = array_add(errors, error_group_json(r->errors[i]));
        const struct {
                const char *key;
                size_t value;
        } counts[] = {
                {"denials", r->n_denials},
                {"groups", r->n_groups},
                {"enforced", r->n_enforced},
                {"selinuxErrors", r->n_errors},
                {"selinuxErrorGroups", r->n_error_groups},
                {"duplicates", r->n_duplicates},
                {"ungrouped", r->n_ungrouped},
                {"skippedLines", r->n_skipped_lines},
        };
        for (size_t i = 0; q >= 0 && i < ELEMENTSOF(counts); i++)
                q = add_int(sum, counts[i].key, counts[i].value);
        if (q >= 0 && json_object_object_add(top, "denials", groups) >= 0)
                groups = NULL;
        if (q >= 0 && json_object_object_add(top, "selinuxErrors", errors) >= 0)
                errors = NULL;
        if (q >= 0 && json_object_object_add(top, "summary", sum) >= 0)
                sum = NULL;
        if (q >= 0 && (groups || errors || sum))
                q = -ENOMEM;
        if (q >= 0 && (q = print_json_value(top, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED, f)) >= 0) {
                fputc('\n', f);
                q = check_written(f);
        }
        json_object_put(groups);
        json_object_put(errors);
        json_object_put(sum);
        json_object_put(top);
        return q;
}

/* ---- CIL ---- */

/* A name CIL takes as it is: a letter, then letters, digits, '_' and '.' (a name in a block). */
static bool cil_name(const char *s) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
                return false;
        for (; *s; s++)
                if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_' ||
                      *s == '.'))
                        return false;
        return true;
}

static int cmp_triple(const void *x, const void *y) {
        const struct denial_group *a = *(const struct denial_group *const *)x, *b = *(const struct denial_group *const *)y;
        int c;
        if ((c = strcmp(a->stype, b->stype)) || (c = strcmp(a->ttype, b->ttype)))
                return c;
        return strcmp(a->tclass, b->tclass);
}

struct role_type {
        char *role, *type;
};

static int cmp_role_type(const void *x, const void *y) {
        const struct role_type *a = x, *b = y;
        int c = strcmp(a->role, b->role);
        return c ? c : strcmp(a->type, b->type);
}

/* The CIL text, in a malloc'd string (*n_rules: allow and roletype statements). */
static int cil_text(const struct denial_report *r, char **ret, size_t *n_rules) {
        _cleanup_free_ const struct denial_group **v = calloc(r->n_groups + 1, sizeof(*v));
        _cleanup_free_ struct role_type *rt = calloc(r->n_error_groups + 1, sizeof(*rt));
        _cleanup_free_ char **perms = NULL;
        size_t n = 0, n_rt = 0, n_domain = 0, n_unusable = 0, n_no_rule = 0, allocated = 0, rules = 0;
        char *buf = NULL;
        size_t len = 0;
        FILE *f;
        int q = 0;

        if (!v || !rt)
                return -ENOMEM;
        for (size_t i = 0; i < r->n_groups; i++) {
                const struct denial_group *g = r->groups[i];
                bool usable = cil_name(g->stype) && cil_name(g->ttype) && cil_name(g->tclass) && g->n_perms > 0 &&
                              !streq(g->stype, "self");
                if (g->permissive_domain)
                        n_domain += g->count;
                else if (!usable)
                        n_unusable += g->count;
                else
                        v[n++] = g;
        }
        qsort(v, n, sizeof(*v), cmp_triple);
        for (size_t i = 0; i < r->n_error_groups; i++) {
                const struct error_group *g = r->errors[i];
                /* An invalid context from a transition: its role is not allowed its type.
                 * (The user may lack the role, or the level be out of range, too: the
                 * roletype is what audit2allow derives.) */
                char *role = NULL, *type = NULL;
                if (streq(g->op, "security_compute_sid")) {
                        const char *a = strchr(g->detail, ':'), *b = a ? strchr(a + 1, ':') : NULL;
                        if (b) {
                                role = strndup(a + 1, (size_t)(b - a - 1));
                                type = strndup(b + 1, strcspn(b + 1, ":"));
                                if (!role || !type) {
                                        free(role);
                                        free(type);
                                        q = -ENOMEM;
                                        goto out;
                                }
                        }
                }
                if (role && cil_name(role) && cil_name(type) && !streq(role, "object_r"))
                        rt[n_rt++] = (struct role_type){role, type};
                else {
                        n_no_rule += g->count;
                        free(role);
                        free(type);
                }
        }
        qsort(rt, n_rt, sizeof(*rt), cmp_role_type);

        if (!(f = open_memstream(&buf, &len))) {
                q = -ENOMEM;
                goto out;
        }
        fputs("; ignition-selinux denials --cil: one allow rule per source type, target type and class,\n"
              "; with the permissions of all their denials merged, as audit2allow derives them.\n"
              "; A machine logging permissive (the whole system, or the domain) logs every access it\n"
              "; would refuse when enforcing, needed or not: these rules allow all of them. Read each\n"
              "; before installing it; a boolean may allow the same more narrowly.\n",
              f);
        for (size_t i = 0; i < n;) {
                size_t j = i, np = 0;
                for (; j < n && cmp_triple(&v[i], &v[j]) == 0; j++)
                        for (size_t k = 0; k < v[j]->n_perms; k++) {
                                if ((q = GROW_FOR(perms, np, allocated, 16)) < 0)
                                        break;
                                perms[np++] = v[j]->perms[k];
                        }
                if (q < 0)
                        break;
                qsort(perms, np, sizeof(*perms), cmp_strings);
                fprintf(f, "(allow %s %s (%s (", v[i]->stype, streq(v[i]->stype, v[i]->ttype) ? "self" : v[i]->ttype,
                        v[i]->tclass);
                for (size_t k = 0; k < np; k++)
                        if (k == 0 || !streq(perms[k], perms[k - 1]))
                                fprintf(f, "%s%s", k ? " " : "", perms[k]);
                fputs(")))\n", f);
                rules++;
                i = j;
        }
        if (q >= 0 && n_rt > 0) {
                fputs("; Contexts the kernel refused as invalid (SELINUX_ERR): the role may lack the type (the\n"
                      "; rules below), or the user the role, or the level be out of the user's range.\n",
                      f);
                for (size_t i = 0; i < n_rt; i++)
                        if (i == 0 || cmp_role_type(&rt[i], &rt[i - 1]) != 0) {
                                fprintf(f, "(roletype %s %s)\n", rt[i].role, rt[i].type);
                                rules++;
                        }
        }
        if (n_domain)
                fprintf(f, "; Left out: %zu denial%s of domains declared permissive (--permissive-domain).\n", n_domain,
                        plural(n_domain));
        if (n_unusable)
                fprintf(f, "; Left out: %zu denial%s with no usable source, target, class or permissions.\n", n_unusable,
                        plural(n_unusable));
        if (n_no_rule)
                fprintf(f, "; Left out: %zu SELinux error%s no rule allows (transitions a constraint refused).\n",
                        n_no_rule, plural(n_no_rule));
        if (r->n_ungrouped)
                fprintf(f, "; Left out: %zu record%s past the memory bound for groups.\n", r->n_ungrouped,
                        plural(r->n_ungrouped));
        if (fclose(f) != 0 && q >= 0)
                q = -ENOMEM;
        if (q >= 0) {
                *ret = TAKE_PTR(buf);
                *n_rules = rules;
        }
out:
        free(buf);
        for (size_t i = 0; i < n_rt; i++) {
                free(rt[i].role);
                free(rt[i].type);
        }
        return q;
}

int denials_print_cil(const struct denial_report *r, FILE *f) {
        _cleanup_free_ char *cil = NULL;
        size_t n;
        int q = cil_text(r, &cil, &n);
        if (q < 0)
                return q;
        fputs(cil, f);
        return check_written(f);
}

int denials_print_ignition(const struct denial_report *r, FILE *f) {
        _cleanup_free_ char *cil = NULL;
        size_t n;
        int q = cil_text(r, &cil, &n);
        if (q < 0)
                return q;
        json_object *top = json_object_new_object(), *block = json_object_new_object(), *mods = json_object_new_array(),
                    *mod = NULL;
        q = top && block && mods ? 0 : -ENOMEM;
        /* No rule, no module: an empty list installs nothing. */
        if (q >= 0 && n > 0) {
                mod = json_object_new_object();
                q = mod ? 0 : -ENOMEM;
                if (q >= 0)
                        q = add_string(mod, "name", "local-denials");
                if (q >= 0)
                        q = add_string(mod, "cil", cil);
                if (q >= 0) {
                        q = array_add(mods, mod);
                        mod = NULL;
                }
        }
        if (q >= 0 && json_object_object_add(block, "modules", mods) >= 0)
                mods = NULL;
        if (q >= 0 && json_object_object_add(top, "selinux", block) >= 0)
                block = NULL;
        if (q >= 0 && (mods || block))
                q = -ENOMEM;
        if (q >= 0 && (q = print_json_value(top, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED, f)) >= 0) {
                fputc('\n', f);
                q = check_written(f);
        }
        json_object_put(mod);
        json_object_put(mods);
        json_object_put(block);
        json_object_put(top);
        return q;
}

/* ---- the verb ---- */

struct run {
        struct denial_report *rep;
        const struct denials_opts *o;
        bool first;
        bool live; /* the input is a pipe or a terminal: each record goes out as it is read */
        int write_error;
};

static int on_record(void *userdata, struct avc_record *rec) {
        struct run *run = userdata;
        int q = denial_report_add(run->rep, rec);

        if (q <= 0 || !run->o->raw || run->write_error)
                return q < 0 ? q : 0;
        /* --raw: each record as it is read; a write error ends the output, not the count */
        q = run->o->json ? denials_print_record_json(run->rep, rec, run->first, stdout)
                         : denials_print_record(run->rep, rec, stdout);
        run->first = false;
        if (q >= 0 && run->live && fflush(stdout) != 0)
                q = negerrno();
        if (q < 0)
                run->write_error = q;
        return 0;
}

int denials_run(const char *path, const struct denials_opts *o, size_t *n_refused) {
        bool use_stdin = !path || streq(path, "-");
        const char *name = use_stdin ? "standard input" : path;
        _cleanup_fclose_ FILE *f = NULL;
        struct denial_report rep = {0};
        struct avc_parser p;
        struct run run = {.rep = &rep, .o = o, .first = true};
        int r;

        if (!use_stdin && !(f = fopen(path, "re")))
                return log_errno(negerrno(), "Failed to open %s", name);
        if ((r = denial_report_init(&rep, o->permissive_domains, o->n_permissive_domains)) < 0)
                return log_errno(r, "Failed to read %s", name);
        struct stat st;
        run.live = fstat(fileno(use_stdin ? stdin : f), &st) == 0 && !S_ISREG(st.st_mode);
        avc_parser_init(&p, on_record, &run, o->raw);
        if (o->raw && o->json)
                fputs("[\n", stdout);
        r = avc_parse_stream(&p, use_stdin ? stdin : f, &rep.n_skipped_lines);
        avc_parser_free(&p);
        if (r < 0) {
                log_errno(r, "Failed to read %s", name);
                goto out;
        }
        if (rep.n_skipped_lines)
                log_warning("%zu line%s of %s longer than %d bytes skipped", rep.n_skipped_lines,
                            plural(rep.n_skipped_lines), name, AVC_LINE_MAX);
        if (rep.n_ungrouped)
                log_warning("%zu record%s counted but not grouped: more distinct groups than %u MiB hold",
                            rep.n_ungrouped, plural(rep.n_ungrouped), GROUPS_MAX_BYTES >> 20);
        if ((r = denial_report_finish(&rep)) < 0) {
                log_errno(r, "Failed to group the denials of %s", name);
                goto out;
        }
        if (o->raw && o->json) {
                fputs(run.first ? "]\n" : "\n]\n", stdout);
                r = run.write_error ? run.write_error : check_written(stdout);
        } else if (o->raw) {
                if (!run.first)
                        fputc('\n', stdout);
                r = run.write_error ? run.write_error : denials_print_summary(&rep, stdout);
        } else if (o->json)
                r = denials_print_json(&rep, stdout);
        else if (o->cil)
                r = denials_print_cil(&rep, stdout);
        else if (o->ignition)
                r = denials_print_ignition(&rep, stdout);
        else
                r = denials_print_table(&rep, stdout);
        if (r < 0) {
                log_errno(r, "Failed to write the report");
                goto out;
        }
        *n_refused = rep.n_enforced + rep.n_errors;
out:
        denial_report_free(&rep);
        return r;
}
