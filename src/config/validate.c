/* SPDX-License-Identifier: MIT */
/* `ignition-selinux validate`: what of an Ignition config decides whether
 * the selinux block reaches a machine, and whether Ignition accepts the
 * config at all. The config is walked through the position index
 * (json-locate.h), never handed to json-c whole: only selinux blocks are,
 * by config_parse(). */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataurl.h"
#include "gzip.h"
#include "input.h"
#include "json-locate.h"
#include "lib/diag.h"
#include "lib/util.h"
#include "selinux/selinux.h"

#define TARGET_PATH "/etc/selinux/ignition.json"

/* Configs inside configs (ignition.config.merge and .replace given as
 * data: URLs) are checked this deep; Ignition has no limit, but every level
 * is also a level of our stack. */
#define VALIDATE_MAX_DEPTH 16

/* URL schemes a config spec allows in a source (config/v3_N/types/url.go,
 * validateURL). */
enum {
        SCHEME_HTTP = 1 << 0, /* http, https, tftp */
        SCHEME_S3 = 1 << 1,
        SCHEME_GS = 1 << 2,
        SCHEME_ARN = 1 << 3,
        SCHEME_DATA = 1 << 4,
};
#define SCHEMES_3_0 (SCHEME_HTTP | SCHEME_S3 | SCHEME_DATA)
#define SCHEMES_3_2 (SCHEMES_3_0 | SCHEME_GS)
#define SCHEMES_3_4 (SCHEMES_3_2 | SCHEME_ARN)

struct vctx {
        const char *path; /* the name in messages */
        const char *text;
        size_t len;
        struct jl_doc *doc;
        struct diags *d;
        unsigned depth;
        size_t *budget; /* bytes children may still take, shared by all levels */
        int schemes;    /* what the spec version allows; 0: not known */
        bool found;     /* a selinux block (or the file of one) was seen */
};

static void jl_doc_freep(struct jl_doc **d) { jl_doc_free(*d); }

static int validate_text(struct vctx *parent, const char *name, const char *text, size_t len, struct diags *d,
                         bool must_be_ignition);

/* "PATH:LINE:COL: JPATH: what" at byte `off`. */
static int vdiag(struct vctx *v, enum diag_severity sev, size_t off, const char *jpath, const char *fmt, ...)
        __attribute__((format(printf, 5, 6)));
static int vdiag(struct vctx *v, enum diag_severity sev, size_t off, const char *jpath, const char *fmt, ...) {
        _cleanup_free_ char *what = NULL;
        unsigned line, col;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&what, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        jl_doc_line_col(v->doc, off, &line, &col);
        return diags_add(v->d, sev, "%s:%u:%u: %s: %s", v->path, line, col, jpath, what) < 0 ? -ENOMEM : 0;
}

/* A member's value offset, or 0 (never a value's offset: the top-level
 * value starts the text at the earliest, and no member is there). */
static size_t member(struct vctx *v, size_t obj, const char *key, size_t *key_off) {
        struct jl_loc loc;

        if (jl_doc_member(v->doc, obj, key, &loc) < 0)
                return 0;
        if (key_off)
                *key_off = loc.key_off;
        return loc.value_off;
}

static char type_at(const struct vctx *v, size_t off) { return off ? v->text[off] : 0; }
static bool is_null(const struct vctx *v, size_t off) { return !off || v->text[off] == 'n'; }

/* "got string \"xz\"", "got number 3", "got nothing" */
static void describe(const struct vctx *v, size_t off, char *out, size_t size) {
        char s[40 * 6 + 16];
        _cleanup_free_ char *str = NULL;
        size_t len, n = 0;

        switch (type_at(v, off)) {
        case 0:
                snprintf(out, size, "nothing");
                break;
        case '{':
                snprintf(out, size, "object");
                break;
        case '[':
                snprintf(out, size, "array");
                break;
        case '"':
                if (jl_string_at(v->text, v->len, off, &str, &len) < 0) {
                        snprintf(out, size, "string");
                        break;
                }
                diag_quote(s, sizeof(s), str, len, 40);
                snprintf(out, size, "string %s", s);
                break;
        case 't':
        case 'f':
                snprintf(out, size, "boolean %s", v->text[off] == 't' ? "true" : "false");
                break;
        case 'n':
                snprintf(out, size, "null");
                break;
        default:
                while (off + n < v->len && n < 32 && strchr("+-.eE0123456789", v->text[off + n]))
                        n++;
                snprintf(out, size, "number %.*s", (int)n, v->text + off);
        }
}

/* ---- ignition.version ---- */

/* go-semver's Version.Set() on the string (coreos/go-semver semver.go):
 * "+meta" and "-pre" split off, both [0-9A-Za-z-]+ dot-separated if given,
 * then exactly three dot-separated integers as strconv.ParseInt reads them
 * (an optional sign, decimal digits). */
struct semver {
        long long v[3];
        const char *pre, *meta;
        size_t pre_len, meta_len;
};

static bool semver_ident_ok(const char *s, size_t n) {
        bool fresh = true;

        for (size_t i = 0; i < n; i++) {
                char c = s[i];
                if (c == '.') {
                        if (fresh)
                                return false;
                        fresh = true;
                } else if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-') {
                        fresh = false;
                } else {
                        return false;
                }
        }
        return n == 0 || !fresh;
}

static bool parse_int64(const char *s, size_t n, long long *out) {
        size_t i = 0;
        bool neg = false;
        unsigned long long v = 0;

        if (i < n && (s[i] == '+' || s[i] == '-'))
                neg = s[i++] == '-';
        if (i == n)
                return false;
        for (; i < n; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return false;
                v = v * 10 + (unsigned long long)(s[i] - '0');
                if (v > (unsigned long long)INT64_MAX + neg)
                        return false;
        }
        *out = neg ? -(long long)(v - 1) - 1 : (long long)v;
        return true;
}

static bool semver_parse(const char *s, size_t n, struct semver *out) {
        const char *plus = memchr(s, '+', n), *dash;
        size_t k = 0;

        *out = (struct semver){.pre = "", .meta = ""};
        if (plus) {
                out->meta = plus + 1;
                out->meta_len = n - (size_t)(plus + 1 - s);
                n = (size_t)(plus - s);
        }
        dash = memchr(s, '-', n);
        if (dash) {
                out->pre = dash + 1;
                out->pre_len = n - (size_t)(dash + 1 - s);
                n = (size_t)(dash - s);
        }
        if (!semver_ident_ok(out->pre, out->pre_len) || !semver_ident_ok(out->meta, out->meta_len))
                return false;
        for (size_t start = 0; k < 3; k++) {
                const char *dot = k < 2 ? memchr(s + start, '.', n - start) : NULL;
                size_t end = dot ? (size_t)(dot - s) : n;
                if (k < 2 && !dot)
                        return false;
                if (!parse_int64(s + start, end - start, &out->v[k]))
                        return false;
                start = end + 1;
        }
        return true;
}

/* The spec versions some Ignition release accepts (each config/v3_N's
 * MaxVersion; Ignition compares the whole version, pre-release and
 * metadata included), and which releases. */
static const struct spec {
        int minor;
        bool experimental;
        const char *releases; /* NULL: every release since it was stabilised */
        int schemes;
} specs[] = {
        {0, false, NULL, SCHEMES_3_0},
        {1, false, NULL, SCHEMES_3_0},
        {2, false, NULL, SCHEMES_3_2},
        {3, false, NULL, SCHEMES_3_2},
        {4, false, NULL, SCHEMES_3_4},
        {5, false, NULL, SCHEMES_3_4},
        {6, false, NULL, SCHEMES_3_4},
        {4, true, "Ignition 2.14 (Debian 12's)", SCHEMES_3_4},
        {5, true, "Ignition 2.15 to 2.19", SCHEMES_3_4},
        {6, true, "Ignition 2.20 to 2.24", SCHEMES_3_4},
        {7, true, "Ignition 2.26 (Flatcar's since its release 4459)", SCHEMES_3_4},
};

#define VERSIONS_EXPECTED "a config spec version Ignition accepts (\"3.0.0\" to \"3.6.0\")"

static int check_version(struct vctx *v, size_t root) {
        _cleanup_free_ char *s = NULL;
        size_t ign = member(v, root, "ignition", NULL), ver, len;
        struct semver sv;
        char got[300];

        if (type_at(v, ign) != '{') {
                describe(v, ign, got, sizeof(got));
                return vdiag(v, DIAG_ERROR, ign, "$.ignition", "expected an object holding \"version\", got %s", got);
        }
        ver = member(v, ign, "version", NULL);
        if (type_at(v, ver) != '"' || jl_string_at(v->text, v->len, ver, &s, &len) < 0) {
                describe(v, ver, got, sizeof(got));
                return vdiag(v, DIAG_ERROR, ver ? ver : ign, "$.ignition.version", "expected " VERSIONS_EXPECTED ", got %s",
                             got);
        }
        if (semver_parse(s, len, &sv) && sv.meta_len == 0) {
                bool exp = sv.pre_len == 12 && memcmp(sv.pre, "experimental", 12) == 0;
                for (size_t i = 0; i < ELEMENTSOF(specs); i++) {
                        if (sv.v[0] != 3 || sv.v[1] != specs[i].minor || sv.v[2] != 0 || exp != specs[i].experimental ||
                            (!exp && sv.pre_len))
                                continue;
                        v->schemes = specs[i].schemes;
                        if (!specs[i].releases)
                                return 0;
                        return vdiag(v, DIAG_WARNING, ver, "$.ignition.version",
                                     "\"%s\" is an experimental spec: only %s accepts it, a later Ignition refuses "
                                     "the config",
                                     s, specs[i].releases);
                }
                if (sv.v[0] == 2 && sv.pre_len == 0)
                        /* Flatcar's Ignition translates spec 2 (its
                         * ign-converter patch); upstream's refuses it */
                        return vdiag(v, DIAG_WARNING, ver, "$.ignition.version",
                                     "\"%s\" is a spec 2 version: only Flatcar's Ignition accepts it (translated to "
                                     "spec 3)",
                                     s);
        }
        describe(v, ver, got, sizeof(got));
        /* "3.4" for "3.4.0" */
        char hint[64] = "";
        if (len == 3 && s[0] == '3' && s[1] == '.' && s[2] >= '0' && s[2] <= '6')
                snprintf(hint, sizeof(hint), " (did you mean \"%s.0\"?)", s);
        return vdiag(v, DIAG_ERROR, ver, "$.ignition.version", "expected " VERSIONS_EXPECTED ", got %s%s", got, hint);
}

/* ---- sources ---- */

/* Where a resource's contents come from. */
enum fetched { FETCH_DATA, FETCH_REMOTE, FETCH_EMPTY, FETCH_BAD };

static int scheme_bit(const char *scheme) {
        if (streq(scheme, "http") || streq(scheme, "https") || streq(scheme, "tftp"))
                return SCHEME_HTTP;
        if (streq(scheme, "s3"))
                return SCHEME_S3;
        if (streq(scheme, "gs"))
                return SCHEME_GS;
        if (streq(scheme, "arn"))
                return SCHEME_ARN;
        if (streq(scheme, "data"))
                return SCHEME_DATA;
        return 0;
}

/* The contents of the resource (an object with "source" and maybe
 * "compression") at `res`: decoded and decompressed into *out when it is a
 * data: URL. `max` bounds the result; `required`: a missing or empty
 * source is an error (merge entries), else it means an empty file. A remote
 * source gets a warning naming `what` cannot be checked. Problems are
 * reported, FETCH_BAD returned. */
static int fetch(struct vctx *v, size_t res, const char *jpath, const char *what, size_t max, bool required,
                 char **out, size_t *outlen, enum fetched *how) {
        _cleanup_free_ char *src = NULL, *comp = NULL, *raw = NULL, *spath = NULL, *cpath = NULL;
        size_t so = member(v, res, "source", NULL), co = member(v, res, "compression", NULL), slen = 0, clen = 0, rawlen;
        const char *why = NULL;
        char scheme[16], got[300];
        bool gzip = false;
        int r, bit;

        *how = FETCH_BAD;
        if (asprintf(&spath, "%s.source", jpath) < 0 || asprintf(&cpath, "%s.compression", jpath) < 0)
                return -ENOMEM;
        /* config/v3_N/types/resource.go, validateCompression */
        if (!is_null(v, co)) {
                if (type_at(v, co) != '"' || jl_string_at(v->text, v->len, co, &comp, &clen) < 0 ||
                    (clen != 0 && !(clen == 4 && memcmp(comp, "gzip", 4) == 0))) {
                        describe(v, co, got, sizeof(got));
                        return vdiag(v, DIAG_ERROR, co, cpath, "expected \"gzip\" or \"\" (Ignition knows no other), got %s",
                                     got);
                }
                gzip = clen == 4;
        }
        if (!is_null(v, so) && (type_at(v, so) != '"' || jl_string_at(v->text, v->len, so, &src, &slen) < 0)) {
                describe(v, so, got, sizeof(got));
                return vdiag(v, DIAG_ERROR, so, spath, "expected a URL, got %s", got);
        }
        if (slen == 0) {
                if (required)
                        return vdiag(v, DIAG_ERROR, so ? so : res, spath, "expected a URL, got %s",
                                     so ? "\"\"" : "nothing");
                *how = FETCH_EMPTY;
                return 0;
        }
        r = url_scheme(src, slen, scheme, sizeof(scheme), &why);
        if (r < 0)
                return vdiag(v, DIAG_ERROR, so, spath, "expected a URL Ignition can parse (%s)", why);
        bit = scheme_bit(scheme);
        if (!bit || (v->schemes && !(v->schemes & bit))) {
                describe(v, so, got, sizeof(got));
                return vdiag(v, DIAG_ERROR, so, spath,
                             "expected a URL with a scheme this spec version allows (%s), got %s",
                             !v->schemes || (v->schemes & SCHEME_ARN) ? "http, https, tftp, s3, gs, arn or data"
                             : v->schemes & SCHEME_GS                 ? "http, https, tftp, s3, gs or data"
                                                                      : "http, https, tftp, s3 or data",
                             got);
        }
        if (bit != SCHEME_DATA) {
                *how = FETCH_REMOTE;
                return vdiag(v, DIAG_WARNING, so, spath, "%s fetched from elsewhere (%s) cannot be checked", what,
                             scheme);
        }
        r = dataurl_decode_ex(src, slen, &raw, &rawlen, &why);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return vdiag(v, DIAG_ERROR, so, spath, "expected a data: URL Ignition accepts, got one it refuses: %s",
                             why ? why : "malformed");
        if (gzip) {
                r = gzip_decompress(raw, rawlen, max, out, outlen, &why);
                if (r == -ENOMEM)
                        return r;
                if (r == -EFBIG)
                        return vdiag(v, DIAG_ERROR, co, cpath,
                                     "the gzip data holds more than %zu bytes, more than ignition-selinux reads", max);
                if (r < 0)
                        return vdiag(v, DIAG_ERROR, co, cpath, "expected gzip data in %s, got data zlib refuses: %s",
                                     spath, why);
        } else {
                if (rawlen > max)
                        return vdiag(v, DIAG_ERROR, so, spath, "holds %zu bytes, more than the %zu ignition-selinux reads",
                                     rawlen, max);
                *out = TAKE_PTR(raw);
                *outlen = rawlen;
        }
        *how = FETCH_DATA;
        return 0;
}

/* ---- the selinux block ---- */

/* Declared modules must at least parse as CIL; names are resolved only
 * against a policy, on the machine. (Not under the fuzzer: the CIL parser
 * is libsepol's, fuzzed upstream.) */
static int check_cil(struct diags *d, const struct se_config *cfg) {
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
        for (size_t i = 0; i < cfg->n_modules; i++) {
                const struct se_module *m = &cfg->modules[i];
                _cleanup_free_ char *msg = NULL;
                if (!m->cil)
                        continue;
                int r = cil_check_syntax(m->name, m->cil, m->cil_len, &msg);
                if (r == -EINVAL)
                        r = diags_add(d, DIAG_ERROR, "%s: %s: module \"%s\": CIL syntax error: %s", m->origin,
                                      m->jpath, m->name, msg);
                if (r < 0)
                        return r;
        }
#else
        (void)d;
        (void)cfg;
#endif
        return 0;
}

/* A block's text as config_parse() takes it; *found when it held one. */
static int check_block(struct diags *d, const char *name, const char *text, size_t len, enum config_kind kind,
                       bool *found) {
        struct se_config cfg;
        int r;

        se_config_init(&cfg);
        r = config_parse(name, text, len, kind, &cfg, found, d);
        if (r >= 0)
                r = check_cil(d, &cfg);
        se_config_free(&cfg);
        return r;
}

static int check_top_block(struct vctx *v) {
        bool found = false;
        int r = check_block(v->d, v->path, v->text, v->len, CONFIG_KIND_IGNITION, &found);

        if (r == -ENOMEM)
                return r;
        v->found = true;
        if (diags_add(v->d, DIAG_WARNING,
                      "%s: $.selinux: a top-level block only reaches a machine through configs "
                      "the initramfs reads raw (base.d, user.ign, QEMU fw_cfg); Ignition and "
                      "Butane drop it from fetched configs — to reach every platform, write it "
                      "with storage.files to " TARGET_PATH,
                      v->path) < 0)
                return -ENOMEM;
        return 0;
}

/* ---- storage.files ---- */

/* Ignition cleans paths, so "/etc//selinux/./ignition.json" is the same
 * file. Relative paths are never it. */
static bool is_target_path(const char *p, size_t n) {
        _cleanup_free_ char *clean = malloc(n + 2);
        size_t o = 0, i = 0;

        if (!clean || n == 0 || p[0] != '/' || memchr(p, '\0', n))
                return false;
        while (i < n) {
                size_t k;
                while (i < n && p[i] == '/')
                        i++;
                for (k = 0; i + k < n && p[i + k] != '/'; k++)
                        ;
                if (k == 0 || (k == 1 && p[i] == '.')) {
                        /* nothing to add */
                } else if (k == 2 && p[i] == '.' && p[i + 1] == '.') {
                        while (o > 0 && clean[--o] != '/')
                                ;
                } else {
                        clean[o++] = '/';
                        memcpy(clean + o, p + i, k);
                        o += k;
                }
                i += k;
        }
        clean[o] = '\0';
        return streq(clean, TARGET_PATH);
}

/* Appends buf to the file being assembled. */
static int add_part(char **file, size_t *flen, const char *buf, size_t len) {
        char *n = realloc(*file, *flen + len + 1);

        if (!n)
                return -ENOMEM;
        memcpy(n + *flen, buf, len);
        *flen += len;
        n[*flen] = '\0';
        *file = n;
        return 0;
}

/* One storage.files entry for the block file: its contents and appended
 * parts assembled as Ignition writes them, then checked as the block file. */
static int check_file_entry(struct vctx *v, size_t i, size_t entry) {
        _cleanup_free_ char *base = NULL, *file = NULL, *cpath = NULL;
        size_t contents = member(v, entry, "contents", NULL), append = member(v, entry, "append", NULL), flen = 0;
        const size_t *parts = NULL;
        size_t n_parts = 0;
        bool remote = false, bad = false, has_source = false;
        enum fetched how;
        int r;

        if (asprintf(&base, "$.storage.files[%zu]", i) < 0 || asprintf(&cpath, "%s.contents", base) < 0)
                return -ENOMEM;
        if (type_at(v, contents) == '{') {
                _cleanup_free_ char *buf = NULL;
                size_t len = 0;
                has_source = !is_null(v, member(v, contents, "source", NULL));
                r = fetch(v, contents, cpath, "contents", CONFIG_MAX_SIZE, false, &buf, &len, &how);
                if (r < 0)
                        return r;
                bad = how == FETCH_BAD;
                remote = how == FETCH_REMOTE;
                if (how == FETCH_DATA && (r = add_part(&file, &flen, buf, len)) < 0)
                        return r;
        }
        if (type_at(v, append) == '[' && jl_doc_elements(v->doc, append, &parts, &n_parts) == 0)
                for (size_t k = 0; k < n_parts; k++) {
                        _cleanup_free_ char *apath = NULL, *buf = NULL;
                        size_t len = 0;
                        if (type_at(v, parts[k]) != '{')
                                continue;
                        if (asprintf(&apath, "%s.append[%zu]", base, k) < 0)
                                return -ENOMEM;
                        r = fetch(v, parts[k], apath, "contents", CONFIG_MAX_SIZE, false, &buf, &len, &how);
                        if (r < 0)
                                return r;
                        bad = bad || how == FETCH_BAD;
                        remote = remote || how == FETCH_REMOTE;
                        if (how == FETCH_DATA && (r = add_part(&file, &flen, buf, len)) < 0)
                                return r;
                        if (flen > CONFIG_MAX_SIZE)
                                return vdiag(v, DIAG_ERROR, parts[k], apath,
                                             "the file grows to more than the %zu bytes ignition-selinux reads",
                                             CONFIG_MAX_SIZE);
                }
        v->found = true;
        if (bad || remote)
                return 0;
        if (!file && has_source)
                /* an empty data: URL */
                file = strdup("");
        if (!file && has_source)
                return -ENOMEM;
        if (!file)
                /* Ignition writes an empty file, which is no valid block */
                return vdiag(v, DIAG_ERROR, entry, base,
                             "no contents.source: the file would be empty, which is not a valid block file");
        _cleanup_free_ char *name = NULL;
        if (asprintf(&name, "%s:%s.contents.source", v->path, base) < 0)
                return -ENOMEM;
        bool found = false;
        r = check_block(v->d, name, file, flen, CONFIG_KIND_BLOCK_FILE, &found);
        if (r == 0 && !found && diags_add(v->d, DIAG_WARNING, "%s: no selinux block found", name) < 0)
                return -ENOMEM;
        return r == -ENOMEM ? r : 0;
}

/* The entries for the block file; `discarded`: Ignition replaces this
 * config, so they never reach a machine and are only named. */
static int check_files(struct vctx *v, size_t root, const char *replaced_by) {
        size_t storage = member(v, root, "storage", NULL), files, first = 0;
        const size_t *e;
        size_t n;
        int r;

        if (type_at(v, storage) != '{')
                return 0;
        files = member(v, storage, "files", NULL);
        if (type_at(v, files) != '[' || jl_doc_elements(v->doc, files, &e, &n) < 0)
                return 0;
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *p = NULL, *base = NULL;
                /* one look into each entry, not a table of each: a config
                 * may have millions of them */
                struct jl_loc pl;
                size_t po = type_at(v, e[i]) == '{' && jl_member_scan(v->text, v->len, e[i], "path", &pl) == 0
                                    ? pl.value_off
                                    : 0,
                       plen;
                if (type_at(v, po) != '"' || jl_string_at(v->text, v->len, po, &p, &plen) < 0 || !is_target_path(p, plen))
                        continue;
                if (asprintf(&base, "$.storage.files[%zu]", i) < 0)
                        return -ENOMEM;
                if (replaced_by) {
                        r = vdiag(v, DIAG_WARNING, e[i], base,
                                  "discarded: Ignition replaces this config with the one at %s, so this file is "
                                  "not written",
                                  replaced_by);
                } else if (first) {
                        /* config/validate: two entries for one path */
                        unsigned line, col;
                        jl_doc_line_col(v->doc, first, &line, &col);
                        r = vdiag(v, DIAG_ERROR, e[i], base,
                                  "a second entry for " TARGET_PATH " (first at %u:%u): Ignition refuses the config", line,
                                  col);
                } else {
                        first = e[i];
                        r = check_file_entry(v, i, e[i]);
                }
                if (r < 0)
                        return r;
        }
        return 0;
}

/* ---- ignition.config.merge, .replace ---- */

static int check_child(struct vctx *v, size_t res, const char *jpath) {
        _cleanup_free_ char *buf = NULL, *name = NULL;
        size_t len = 0;
        enum fetched how;
        int r;

        r = fetch(v, res, jpath, "a config", *v->budget, true, &buf, &len, &how);
        if (r < 0 || how != FETCH_DATA)
                return r;
        *v->budget -= len;
        if (v->depth + 1 >= VALIDATE_MAX_DEPTH)
                return vdiag(v, DIAG_WARNING, member(v, res, "source", NULL), jpath,
                             "not checked: configs nested more than %d deep", VALIDATE_MAX_DEPTH);
        if (asprintf(&name, "%s:%s.source", v->path, jpath) < 0)
                return -ENOMEM;
        return validate_text(v, name, buf, len, v->d, true);
}

/* ignition.config.replace and .merge; *replaced when this config is
 * replaced. */
static int check_config_refs(struct vctx *v, size_t root, bool *replaced) {
        size_t ign = member(v, root, "ignition", NULL), cfg = type_at(v, ign) == '{' ? member(v, ign, "config", NULL) : 0;
        size_t rep = type_at(v, cfg) == '{' ? member(v, cfg, "replace", NULL) : 0;
        size_t merge = type_at(v, cfg) == '{' ? member(v, cfg, "merge", NULL) : 0;
        const size_t *e;
        size_t n;
        int r;

        *replaced = false;
        /* config_fetcher.go RenderConfig: a replace with a source wins, its
         * merge list is not even fetched */
        if (type_at(v, rep) == '{' && !is_null(v, member(v, rep, "source", NULL))) {
                *replaced = true;
                r = vdiag(v, DIAG_WARNING, member(v, rep, "source", NULL), "$.ignition.config.replace",
                          "Ignition uses the config there instead of this one: the rest of this config is discarded");
                if (r >= 0)
                        r = check_child(v, rep, "$.ignition.config.replace");
                return r;
        }
        if (type_at(v, merge) != '[' || jl_doc_elements(v->doc, merge, &e, &n) < 0)
                return 0;
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *jpath = NULL;
                if (asprintf(&jpath, "$.ignition.config.merge[%zu]", i) < 0)
                        return -ENOMEM;
                r = type_at(v, e[i]) == '{' ? check_child(v, e[i], jpath) : 0;
                if (r < 0)
                        return r;
        }
        return 0;
}

static int validate_ignition(struct vctx *v, size_t root) {
        bool replaced = false;
        int r;

        r = check_version(v, root);
        if (r >= 0)
                r = check_config_refs(v, root, &replaced);
        if (r >= 0 && member(v, root, "selinux", NULL))
                r = check_top_block(v);
        if (r >= 0)
                r = check_files(v, root, replaced ? "$.ignition.config.replace" : NULL);
        return r;
}

static int validate_text(struct vctx *parent, const char *name, const char *text, size_t len, struct diags *d,
                         bool must_be_ignition) {
        _cleanup_(jl_doc_freep) struct jl_doc *doc = NULL;
        size_t budget = IGNITION_MAX_SIZE, root = 0;
        struct vctx v = {.path = name, .text = text, .len = len, .d = d, .budget = &budget};
        int r;

        if (parent) {
                v.depth = parent->depth + 1;
                v.budget = parent->budget;
        }
        r = config_check_syntax(name, text, len, IGNITION_MAX_SIZE, d);
        if (r < 0)
                return r == -ENOMEM ? r : 0;
        r = jl_doc_new(text, len, &doc);
        if (r < 0)
                return r;
        v.doc = doc;
        while (strchr(" \t\r\n", text[root]))
                root++;
        if (text[root] == '{' && member(&v, root, "ignition", NULL))
                r = validate_ignition(&v, root);
        else if (must_be_ignition)
                /* Ignition reads the version first: without one it refuses */
                r = check_version(&v, root);
        else {
                bool found = false;
                r = check_block(d, name, text, len, CONFIG_KIND_BLOCK_FILE, &found);
                if (r == 0 && !found && diags_add(d, DIAG_WARNING, "%s: no selinux block found", name) < 0)
                        r = -ENOMEM;
                if (r == -EINVAL)
                        r = 0;
                v.found = true; /* said just now */
        }
        if (r < 0)
                return r;
        if (parent)
                parent->found = parent->found || v.found;
        else if (!v.found && diags_add(d, DIAG_WARNING,
                                       "%s: no selinux block found (neither a top-level \"selinux\" key nor a "
                                       "storage.files entry for " TARGET_PATH ")",
                                       name) < 0)
                return -ENOMEM;
        return 0;
}

int validate_buffer(const char *name, const char *text, size_t len, struct diags *d) {
        size_t errors_before = d->n_errors;
        int r = validate_text(NULL, name, text, len, d, false);

        if (r < 0)
                return r;
        return d->n_errors > errors_before ? -EINVAL : 0;
}

int validate_file(const char *path, struct diags *d) {
        _cleanup_free_ char *text = NULL;
        _cleanup_close_ int fd = -1;
        size_t len;
        int r;

        fd = input_open(path, path, DIAG_ERROR, d);
        if (fd < 0)
                return fd;
        r = input_read_fd(fd, path, IGNITION_MAX_SIZE, DIAG_ERROR, &text, &len, d);
        if (r < 0)
                return r;
        return validate_buffer(path, text, len, d);
}
