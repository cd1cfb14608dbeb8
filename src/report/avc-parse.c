/* SPDX-License-Identifier: MIT */
/* The AVC record parser. A line is cut into records at every "avc:": record
 * i runs from where record i-1 ended (or the line's start) to the first mark
 * of something else after its "avc:  denied" — another "avc:", an audit
 * header "type=" or "audit(" — or the line's end. Its prefix (the part before
 * "avc:") gives the time, its body the permission set and fields. */
#include "avc-parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"

/* Whitespace between fields; any control byte counts, so do NUL and DEL. */
static bool is_sep(char c) { return (unsigned char)c <= 0x20 || c == 0x7f; }
static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_word(char c) { return is_alpha(c) || is_digit(c) || c == '_'; }

static const char *find(const char *p, const char *end, const char *needle) {
        size_t n = strlen(needle);
        if (p >= end || (size_t)(end - p) < n)
                return NULL;
        return memmem(p, (size_t)(end - p), needle, n);
}

static bool starts(const char *p, const char *end, const char *word) {
        size_t n = strlen(word);
        return (size_t)(end - p) >= n && memcmp(p, word, n) == 0;
}

/* A copy where every byte outside printable ASCII is written \xHH. Empty
 * input gives AVC_UNKNOWN. */
static char *sanitize(const char *s, size_t n) {
        static const char hex[] = "0123456789abcdef";
        size_t len = 0, j = 0;

        if (n == 0)
                return strdup(AVC_UNKNOWN);
        for (size_t i = 0; i < n; i++)
                len += (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f ? 1 : 4;
        char *out = malloc(len + 1);
        if (!out)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char)s[i];
                if (c >= 0x20 && c < 0x7f)
                        out[j++] = (char)c;
                else {
                        out[j++] = '\\';
                        out[j++] = 'x';
                        out[j++] = hex[c >> 4];
                        out[j++] = hex[c & 15];
                }
        }
        out[j] = 0;
        return out;
}

/* auditd writes a value it cannot quote (spaces, quotes, non-ASCII) as
 * unquoted upper-case hex: comm=2F62696E is "/bin". */
static char *decode_untrusted(const char *s, size_t n, bool quoted) {
        bool hex = !quoted && n > 0 && n % 2 == 0;

        for (size_t i = 0; hex && i < n; i++)
                hex = hex_value(s[i]) >= 0;
        if (!hex)
                return sanitize(s, n);
        _cleanup_free_ char *raw = malloc(n / 2);
        if (!raw)
                return NULL;
        for (size_t i = 0; i < n / 2; i++)
                raw[i] = (char)(hex_value(s[2 * i]) << 4 | hex_value(s[2 * i + 1]));
        return sanitize(raw, n / 2);
}

char *avc_context_type(const char *context) {
        const char *p = strchr(context, ':');
        const char *q = p ? strchr(p + 1, ':') : NULL;

        if (!q || q[1] == 0 || q[1] == ':')
                return strdup(AVC_UNKNOWN);
        return strndup(q + 1, strcspn(q + 1, ":"));
}

/* "audit(SEC.MS:SERIAL)" at p; SEC within years 1970..9999. */
static bool parse_audit_stamp(const char *p, const char *end, int64_t *ms, uint64_t *serial) {
        int64_t sec = 0, frac = 0;
        uint64_t ser = 0;
        int nd = 0, nf = 0, ns = 0;

        p += strlen("audit(");
        for (; p < end && is_digit(*p); p++, nd++) {
                if (nd >= 12)
                        return false;
                sec = sec * 10 + (*p - '0');
        }
        if (nd == 0 || sec > 253402300799 || p >= end || *p++ != '.')
                return false;
        for (; p < end && is_digit(*p); p++, nf++)
                if (nf < 3)
                        frac = frac * 10 + (*p - '0');
        if (nf == 0 || p >= end || *p++ != ':')
                return false;
        for (; nf < 3; nf++)
                frac *= 10;
        for (; p < end && is_digit(*p); p++, ns++) {
                if (ns >= 19)
                        return false;
                ser = ser * 10 + (uint64_t)(*p - '0');
        }
        if (ns == 0 || p >= end || *p != ')')
                return false;
        *ms = sec * 1000 + frac;
        *serial = ser;
        return true;
}

/* The end of the body that starts at p: the next "avc:", "audit(", or
 * "type=" not preceded by a letter or '_' (nlmsg_type=, msgtype= are fields). */
static const char *body_end(const char *p, const char *end) {
        const char *e = end, *q;

        if ((q = find(p, e, "avc:")))
                e = q;
        if ((q = find(p, e, "audit(")))
                e = q;
        for (q = p; (q = find(q, e, "type=")); q++)
                if (q == p || !(is_alpha(q[-1]) || q[-1] == '_')) {
                        e = q;
                        break;
                }
        return e;
}

static int add_perm(struct avc_denial *d, const char *s, size_t n) {
        /* The array doubles when n_perms reaches a power of two. */
        if (d->n_perms == 0 || (d->n_perms >= 4 && (d->n_perms & (d->n_perms - 1)) == 0)) {
                char **np = realloc(d->perms, (d->n_perms ? d->n_perms * 2 : 4) * sizeof(*np));
                if (!np)
                        return -ENOMEM;
                d->perms = np;
        }
        if (!(d->perms[d->n_perms] = strndup(s, n)))
                return -ENOMEM;
        d->n_perms++;
        return 0;
}


/* "{ a b c }" at p (after whitespace); returns where the fields start. */
static const char *parse_perms(struct avc_denial *d, const char *p, const char *end, int *r) {
        while (p < end && is_sep(*p))
                p++;
        if (p >= end || *p != '{')
                return p;
        for (p++;;) {
                while (p < end && is_sep(*p))
                        p++;
                if (p >= end)
                        break;
                if (*p == '}') {
                        p++;
                        break;
                }
                const char *w = p;
                while (p < end && is_word(*p))
                        p++;
                if (p == w || (p < end && !is_sep(*p) && *p != '}'))
                        break; /* not a permission: the set was cut off */
                if ((*r = add_perm(d, w, (size_t)(p - w))) < 0)
                        return p;
        }
        if (d->n_perms > 1) {
                size_t j = 1;
                qsort(d->perms, d->n_perms, sizeof(*d->perms), cmp_strings);
                for (size_t i = 1; i < d->n_perms; i++) {
                        if (streq(d->perms[i], d->perms[j - 1]))
                                free(d->perms[i]);
                        else
                                d->perms[j++] = d->perms[i];
                }
                d->n_perms = j;
        }
        return p;
}

enum field { F_COMM, F_SCONTEXT, F_TCONTEXT, F_TCLASS, F_PERMISSIVE, _F_MAX };
static const char *const field_names[_F_MAX] = {"comm", "scontext", "tcontext", "tclass", "permissive"};

static char **field_slot(struct avc_denial *d, enum field f) {
        switch (f) {
        case F_COMM: return &d->comm;
        case F_SCONTEXT: return &d->scontext;
        case F_TCONTEXT: return &d->tcontext;
        case F_TCLASS: return &d->tclass;
        default: return NULL;
        }
}

/* key=value fields of the body [p, end); the first of each wins. */
static int parse_fields(struct avc_denial *d, const char *p, const char *end) {
        bool seen[_F_MAX] = {0};

        while (p < end) {
                while (p < end && is_sep(*p))
                        p++;
                const char *k = p;
                while (p < end && (is_word(*p) || *p == '-'))
                        p++;
                if (p == k || p >= end || *p != '=') {
                        while (p < end && !is_sep(*p))
                                p++;
                        continue;
                }
                size_t klen = (size_t)(p - k);
                const char *v, *ve;
                bool quoted = false, cut = false;
                p++;
                if (p < end && *p == '"') {
                        /* comm="sh"; a missing closing quote means the record was cut off */
                        v = p + 1;
                        ve = memchr(v, '"', (size_t)(end - v));
                        quoted = true;
                        cut = !ve;
                        p = ve ? ve + 1 : end;
                } else if (starts(p, end, "\\\"")) {
                        /* comm=\"sh\" inside a JSON string (journalctl -o json) */
                        v = p + 2;
                        ve = find(v, end, "\\\"");
                        quoted = true;
                        cut = !ve;
                        p = ve ? ve + 2 : end;
                } else {
                        v = p;
                        while (p < end && !is_sep(*p) && *p != '\'' && *p != '"' && *p != '\\')
                                p++;
                        ve = p;
                }
                for (int f = 0; f < _F_MAX; f++) {
                        if (seen[f] || strlen(field_names[f]) != klen || memcmp(k, field_names[f], klen) != 0)
                                continue;
                        seen[f] = true;
                        if (cut)
                                break;
                        size_t vlen = (size_t)(ve - v);
                        if (f == F_PERMISSIVE) {
                                if (vlen == 1 && (*v == '0' || *v == '1'))
                                        d->permissive = *v - '0';
                                break;
                        }
                        char *s = f == F_COMM ? decode_untrusted(v, vlen, quoted) : sanitize(v, vlen);
                        if (!s)
                                return -ENOMEM;
                        char **slot = field_slot(d, f);
                        free(*slot);
                        *slot = s;
                        break;
                }
        }
        return 0;
}

static void denial_free(struct avc_denial *d) {
        for (size_t i = 0; i < d->n_perms; i++)
                free(d->perms[i]);
        free(d->perms);
        free(d->comm);
        free(d->scontext);
        free(d->tcontext);
        free(d->tclass);
        free(d->stype);
        free(d->ttype);
        free(d->record);
}

void avc_list_free(struct avc_list *list) {
        for (size_t i = 0; i < list->n; i++)
                denial_free(&list->items[i]);
        free(list->items);
        *list = (struct avc_list){0};
}

static int fill_unknown(char **s) {
        if (!*s && !(*s = strdup(AVC_UNKNOWN)))
                return -ENOMEM;
        return 0;
}

/* One denial: prefix [start, avc), body [body, end). */
static int parse_denial(struct avc_parser *ps, const char *start, const char *avc, const char *body,
                        const char *end) {
        struct avc_denial d = {.permissive = -1};
        int r = 0;

        /* The last audit(...) stamp of the prefix is this record's. */
        for (const char *q = start; (q = find(q, avc, "audit(")); q++)
                if (parse_audit_stamp(q, avc, &d.time_ms, &d.serial))
                        d.time_source = AVC_TIME_AUDIT;
        const char *fields = parse_perms(&d, body, end, &r);
        if (r >= 0)
                r = parse_fields(&d, fields, end);
        if (r >= 0)
                r = fill_unknown(&d.comm);
        if (r >= 0)
                r = fill_unknown(&d.scontext);
        if (r >= 0)
                r = fill_unknown(&d.tcontext);
        if (r >= 0)
                r = fill_unknown(&d.tclass);
        if (r >= 0 && (!(d.stype = avc_context_type(d.scontext)) || !(d.ttype = avc_context_type(d.tcontext))))
                r = -ENOMEM;
        if (r >= 0 && ps->keep_records) {
                d.record_len = (size_t)(end - start);
                if ((d.record = malloc(d.record_len + 1))) {
                        memcpy(d.record, start, d.record_len);
                        d.record[d.record_len] = 0;
                } else
                        r = -ENOMEM;
        }
        struct avc_list *l = ps->list;
        if (r >= 0 && l->n == l->allocated) {
                size_t na = l->allocated ? l->allocated * 2 : 16;
                struct avc_denial *ni = realloc(l->items, na * sizeof(*ni));
                if (ni) {
                        l->items = ni;
                        l->allocated = na;
                } else
                        r = -ENOMEM;
        }
        if (r < 0) {
                denial_free(&d);
                return r;
        }
        l->items[l->n++] = d;
        return 0;
}

void avc_parser_init(struct avc_parser *p, struct avc_list *list) {
        *p = (struct avc_parser){.list = list, .keep_records = true};
}

/* __REALTIME_TIMESTAMP=1700000000123456 (µs) in journal export format: the
 * time of the entry's denials that carry no audit(...) stamp of their own. */
static void journal_time(struct avc_parser *p, const char *s, const char *end, bool source) {
        int64_t us = 0;
        int n = 0;

        /* Once each per entry, the source time over the received time: every
         * denial is updated at most twice. */
        if (p->entry_time == AVC_ENTRY_TIME_SOURCE || (p->entry_time == AVC_ENTRY_TIME_RECEIVED && !source))
                return;
        for (; s < end && is_digit(*s); s++, n++) {
                if (n >= 17)
                        return;
                us = us * 10 + (*s - '0');
        }
        if (n == 0 || s != end)
                return;
        p->entry_time = source ? AVC_ENTRY_TIME_SOURCE : AVC_ENTRY_TIME_RECEIVED;
        p->entry_time_ms = us / 1000;
        for (size_t i = p->entry_start; i < p->list->n; i++)
                if (p->list->items[i].time_source != AVC_TIME_AUDIT) {
                        p->list->items[i].time_source = AVC_TIME_JOURNAL;
                        p->list->items[i].time_ms = p->entry_time_ms;
                }
}

int avc_parse_line(struct avc_parser *p, const char *line, size_t len) {
        const char *end = line + len, *start = line, *pos = line, *a;
        size_t first_new = p->list->n;

        while (end > line && end[-1] == '\r')
                end--;
        /* Journal export: entries start with __CURSOR= and end with a blank line. */
        if (end == line || starts(line, end, "__CURSOR=")) {
                p->entry_start = p->list->n;
                p->entry_time = AVC_ENTRY_TIME_NONE;
        } else if (starts(line, end, "__REALTIME_TIMESTAMP="))
                journal_time(p, line + strlen("__REALTIME_TIMESTAMP="), end, false);
        else if (starts(line, end, "_SOURCE_REALTIME_TIMESTAMP="))
                journal_time(p, line + strlen("_SOURCE_REALTIME_TIMESTAMP="), end, true);

        while ((a = find(pos, end, "avc:"))) {
                const char *q = a + 4, *after;
                bool denied;

                while (q < end && (*q == ' ' || *q == '\t'))
                        q++;
                if (q == a + 4)
                        denied = false, after = NULL; /* "avc:denied" is no record */
                else if (starts(q, end, "denied"))
                        denied = true, after = q + 6;
                else if (starts(q, end, "granted"))
                        denied = false, after = q + 7;
                else
                        after = NULL;
                if (!after) {
                        pos = a + 4;
                        continue;
                }
                /* "avc:  denied  {" or a record cut off right after "denied";
                 * "avc: denied'" in some other text is not a record. */
                const char *b = after;
                while (b < end && is_sep(*b))
                        b++;
                if (after < end && !is_sep(*after) && *after != '{') {
                        pos = a + 4;
                        continue;
                }
                if (b < end && *b != '{') {
                        pos = a + 4;
                        continue;
                }
                const char *e = body_end(after, end);
                if (denied) {
                        int r = parse_denial(p, start, a, after, e);
                        if (r < 0)
                                return r;
                }
                start = pos = e;
        }
        /* Export fields may come before MESSAGE=: a time already seen applies. */
        for (size_t i = first_new; p->entry_time && i < p->list->n; i++)
                if (p->list->items[i].time_source == AVC_TIME_NONE) {
                        p->list->items[i].time_source = AVC_TIME_JOURNAL;
                        p->list->items[i].time_ms = p->entry_time_ms;
                }
        return 0;
}

int avc_parse_buffer(const char *buf, size_t len, struct avc_list *list) {
        struct avc_parser p;
        const char *end = buf + len;

        avc_parser_init(&p, list);
        while (buf < end) {
                const char *nl = memchr(buf, '\n', (size_t)(end - buf));
                const char *le = nl ? nl : end;
                int r = avc_parse_line(&p, buf, (size_t)(le - buf));
                if (r < 0)
                        return r;
                buf = nl ? nl + 1 : end;
        }
        return 0;
}

int avc_parse_stream(FILE *f, bool keep_records, struct avc_list *list) {
        _cleanup_free_ char *line = NULL;
        size_t allocated = 0;
        struct avc_parser p;
        ssize_t n;

        avc_parser_init(&p, list);
        p.keep_records = keep_records;
        for (;;) {
                errno = 0;
                n = getline(&line, &allocated, f);
                if (n < 0)
                        break;
                if (n > 0 && line[n - 1] == '\n')
                        n--;
                int r = avc_parse_line(&p, line, (size_t)n);
                if (r < 0)
                        return r;
        }
        if (ferror(f))
                return errno > 0 ? -errno : -EIO;
        if (errno == ENOMEM)
                return -ENOMEM;
        return 0;
}
