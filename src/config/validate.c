/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataurl.h"
#include "json-locate.h"
#include "lib/fsutil.h"
#include "lib/util.h"
#include "selinux/selinux.h"

#define TARGET_PATH "/etc/selinux/ignition.json"

struct vctx {
        const char *path, *text;
        size_t len;
        struct json_object *root;
        struct diags *d;
};

static void json_putp(struct json_object **o) {
        if (*o)
                json_object_put(*o);
}

/* Ignition cleans paths, so "/etc//selinux/./ignition.json" is the same
 * file. Relative paths are never it. */
static bool is_target_path(const char *p) {
        _cleanup_free_ char *clean = malloc(strlen(p) + 2);
        size_t o = 0;

        if (!clean || p[0] != '/')
                return false;
        while (*p) {
                size_t n;
                while (*p == '/')
                        p++;
                n = strcspn(p, "/");
                if (n == 0 || (n == 1 && p[0] == '.')) {
                        /* nothing to add */
                } else if (n == 2 && p[0] == '.' && p[1] == '.') {
                        while (o > 0 && clean[--o] != '/')
                                ;
                } else {
                        clean[o++] = '/';
                        memcpy(clean + o, p, n);
                        o += n;
                }
                p += n;
        }
        clean[o] = '\0';
        return streq(clean, TARGET_PATH);
}

static int vdiag(struct vctx *v, enum diag_severity sev, const struct jl_step *at, size_t n,
                 const char *jpath, const char *what) {
        struct jl_loc loc;
        unsigned line = 1, col = 1;

        if (jl_locate(v->text, v->len, at, n, &loc) == 0)
                jl_line_col(v->text, v->len, loc.value_off, &line, &col);
        return diags_add(v->d, sev, "%s:%u:%u: %s: %s", v->path, line, col, jpath, what);
}

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

static int check_top_block(struct vctx *v) {
        struct se_config cfg;
        bool found;
        int r;

        se_config_init(&cfg);
        r = config_parse(v->path, v->text, v->len, CONFIG_KIND_IGNITION, &cfg, &found, v->d);
        if (r >= 0)
                r = check_cil(v->d, &cfg);
        se_config_free(&cfg);
        if (r == -ENOMEM)
                return r;
        if (diags_add(v->d, DIAG_WARNING,
                      "%s: $.selinux: a top-level block only reaches a machine through configs "
                      "the initramfs reads raw (base.d, user.ign, QEMU fw_cfg); Ignition and "
                      "Butane drop it from fetched configs — to reach every platform, write it "
                      "with storage.files to " TARGET_PATH,
                      v->path) < 0)
                return -ENOMEM;
        return 0;
}

/* Validates decoded file contents as the block file they become. */
static int check_contents(struct vctx *v, const char *jpath, const char *buf, size_t len) {
        _cleanup_free_ char *name = NULL;
        struct se_config cfg;
        bool found;
        int r;

        if (asprintf(&name, "%s:%s", v->path, jpath) < 0)
                return -ENOMEM;
        se_config_init(&cfg);
        r = config_parse(name, buf, len, CONFIG_KIND_BLOCK_FILE, &cfg, &found, v->d);
        if (r >= 0)
                r = check_cil(v->d, &cfg);
        se_config_free(&cfg);
        if (r == -ENOMEM)
                return r;
        if (r == 0 && !found &&
            diags_add(v->d, DIAG_WARNING, "%s: no selinux block found", name) < 0)
                return -ENOMEM;
        return 0;
}

static int check_file_entry(struct vctx *v, size_t i, struct json_object *file) {
        const struct jl_step src_at[] = {JL_KEY("storage"), JL_KEY("files"), JL_INDEX(i),
                                         JL_KEY("contents"), JL_KEY("source")};
        const struct jl_step comp_at[] = {JL_KEY("storage"), JL_KEY("files"), JL_INDEX(i),
                                          JL_KEY("contents"), JL_KEY("compression")};
        struct json_object *contents = NULL, *source = NULL, *comp = NULL, *append = NULL;
        _cleanup_free_ char *base = NULL, *src_path = NULL, *decoded = NULL;
        size_t len;
        int r;

        if (asprintf(&base, "$.storage.files[%zu]", i) < 0 ||
            asprintf(&src_path, "%s.contents.source", base) < 0)
                return -ENOMEM;
        bool appends = json_object_object_get_ex(file, "append", &append) &&
                       json_object_is_type(append, json_type_array) &&
                       json_object_array_length(append) > 0;
        if (appends && vdiag(v, DIAG_WARNING, src_at, 3, base,
                             "appended contents cannot be checked") < 0)
                return -ENOMEM;
        json_object_object_get_ex(file, "contents", &contents);
        if (json_object_is_type(contents, json_type_object)) {
                json_object_object_get_ex(contents, "source", &source);
                json_object_object_get_ex(contents, "compression", &comp);
        }
        if (json_object_is_type(comp, json_type_string) && json_object_get_string_len(comp) > 0) {
                _cleanup_free_ char *p = NULL;
                if (asprintf(&p, "%s.contents.compression", base) < 0)
                        return -ENOMEM;
                return vdiag(v, DIAG_WARNING, comp_at, 5, p,
                             "compressed contents cannot be checked") < 0
                               ? -ENOMEM
                               : 0;
        }
        if (json_object_is_type(source, json_type_null) && appends)
                return 0;
        if (json_object_is_type(source, json_type_null))
                /* Ignition writes an empty file, which is no valid block */
                return vdiag(v, DIAG_ERROR, src_at, 3, base,
                             "no contents.source: the file would be empty, which is not a "
                             "valid block file") < 0
                               ? -ENOMEM
                               : 0;
        if (!json_object_is_type(source, json_type_string))
                return vdiag(v, DIAG_ERROR, src_at, 5, src_path, "expected a string") < 0
                               ? -ENOMEM
                               : 0;
        r = dataurl_decode(json_object_get_string(source), &decoded, &len);
        if (r == -EPROTONOSUPPORT)
                return vdiag(v, DIAG_WARNING, src_at, 5, src_path,
                             "not a data: URL, cannot check remote contents") < 0
                               ? -ENOMEM
                               : 0;
        if (r == -EINVAL)
                return vdiag(v, DIAG_ERROR, src_at, 5, src_path,
                             "malformed data: URL (bad percent-encoding or base64)") < 0
                               ? -ENOMEM
                               : 0;
        if (r < 0)
                return r;
        return check_contents(v, src_path, decoded, len);
}

/* Returns the number of entries for the target path, or -ENOMEM. */
static int check_files(struct vctx *v) {
        struct json_object *storage = NULL, *files = NULL;
        int n = 0, r;

        if (!json_object_object_get_ex(v->root, "storage", &storage) ||
            !json_object_is_type(storage, json_type_object) ||
            !json_object_object_get_ex(storage, "files", &files) ||
            !json_object_is_type(files, json_type_array))
                return 0;
        for (size_t i = 0; i < json_object_array_length(files); i++) {
                struct json_object *f = json_object_array_get_idx(files, i), *p = NULL;
                if (!json_object_is_type(f, json_type_object) ||
                    !json_object_object_get_ex(f, "path", &p) ||
                    !json_object_is_type(p, json_type_string) ||
                    !is_target_path(json_object_get_string(p)))
                        continue;
                n++;
                r = check_file_entry(v, i, f);
                if (r < 0)
                        return r;
        }
        return n;
}

static int validate_ignition(struct vctx *v) {
        bool top = json_object_object_get_ex(v->root, "selinux", NULL);
        int r, files;

        if (top) {
                r = check_top_block(v);
                if (r < 0)
                        return r;
        }
        files = check_files(v);
        if (files < 0)
                return files;
        if (!top && files == 0 &&
            diags_add(v->d, DIAG_WARNING,
                      "%s: no selinux block found (neither a top-level \"selinux\" key nor a "
                      "storage.files entry for " TARGET_PATH ")",
                      v->path) < 0)
                return -ENOMEM;
        return 0;
}

static int validate_block_file(struct vctx *v) {
        struct se_config cfg;
        bool found;
        int r;

        se_config_init(&cfg);
        r = config_parse(v->path, v->text, v->len, CONFIG_KIND_BLOCK_FILE, &cfg, &found, v->d);
        if (r >= 0)
                r = check_cil(v->d, &cfg);
        se_config_free(&cfg);
        if (r == -ENOMEM)
                return r;
        if (r == 0 && !found &&
            diags_add(v->d, DIAG_WARNING, "%s: no selinux block found", v->path) < 0)
                return -ENOMEM;
        return 0;
}

int validate_buffer(const char *name, const char *text, size_t len, struct diags *d) {
        _cleanup_(json_putp) struct json_object *root = NULL;
        size_t errors_before = d->n_errors;
        struct vctx v;
        int r;

        r = config_parse_json(name, text, len, &root, d);
        if (r < 0)
                return r;

        v = (struct vctx){.path = name, .text = text, .len = len, .root = root, .d = d};
        if (json_object_is_type(root, json_type_object) &&
            json_object_object_get_ex(root, "ignition", NULL))
                r = validate_ignition(&v);
        else
                r = validate_block_file(&v);
        if (r < 0)
                return r;
        return d->n_errors > errors_before ? -EINVAL : 0;
}

int validate_file(const char *path, struct diags *d) {
        _cleanup_free_ char *text = NULL;
        _cleanup_close_ int fd = -1;
        size_t len;
        int r;

        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return negerrno();
        r = read_full_fd(fd, CONFIG_MAX_SIZE, &text, &len);
        if (r == -EFBIG)
                return diags_add(d, DIAG_ERROR, "%s: input is too large (more than %u bytes)",
                                 path, CONFIG_MAX_SIZE) < 0
                               ? -ENOMEM
                               : -EINVAL;
        if (r < 0)
                return r;
        return validate_buffer(path, text, len, d);
}
