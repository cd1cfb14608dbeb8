/* SPDX-License-Identifier: MIT */
#include "selinux.h"

#include <bzlib.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/fsutil.h"
#include "lib/root.h"
#include "lib/util.h"

#define STORE "/var/lib/selinux"
/* A module's CIL is kilobytes; the whole base module a few MB. */
#define MODULE_MAX (64u * 1024 * 1024)

static int module_path(const char *type, int priority, const char *name, const char *file, char **out) {
        return asprintf(out, STORE "/%s/active/modules/%d/%s%s%s", type, priority, name, file ? "/" : "",
                        file ? file : "") < 0
                       ? -ENOMEM
                       : 0;
}

static int bunzip(const char *in, size_t inlen, char **out, size_t *outlen) {
        bz_stream s = {0};
        size_t cap = inlen * 4 + 4096, n = 0;
        _cleanup_free_ char *buf = malloc(cap + 1);
        int r;

        if (!buf)
                return -ENOMEM;
        if (BZ2_bzDecompressInit(&s, 0, 0) != BZ_OK)
                return -ENOMEM;
        s.next_in = (char *)in;
        s.avail_in = (unsigned)inlen;
        for (;;) {
                if (n == cap) {
                        if (cap >= MODULE_MAX) {
                                r = -EFBIG;
                                break;
                        }
                        char *nb = realloc(buf, cap * 2 + 1);
                        if (!nb) {
                                r = -ENOMEM;
                                break;
                        }
                        buf = nb;
                        cap *= 2;
                }
                s.next_out = buf + n;
                s.avail_out = (unsigned)(cap - n);
                int b = BZ2_bzDecompress(&s);
                n = cap - s.avail_out;
                if (b == BZ_STREAM_END) {
                        r = 0;
                        break;
                }
                if (b != BZ_OK || (s.avail_in == 0 && s.avail_out != 0)) {
                        r = b == BZ_MEM_ERROR ? -ENOMEM : -EBADMSG;
                        break;
                }
        }
        BZ2_bzDecompressEnd(&s);
        if (r < 0)
                return r;
        buf[n] = 0;
        *out = TAKE_PTR(buf);
        *outlen = n;
        return 0;
}

int store_module_cil(int rootfd, const char *type, int priority, const char *name, char **cil, size_t *len) {
        _cleanup_free_ char *p_ext = NULL, *p_cil = NULL, *ext = NULL, *raw = NULL;
        size_t ext_len, raw_len;
        int r;

        if ((r = module_path(type, priority, name, "lang_ext", &p_ext)) < 0 ||
            (r = module_path(type, priority, name, "cil", &p_cil)) < 0)
                return r;
        r = read_full_in_root(rootfd, p_ext, 256, &ext, &ext_len, NULL);
        if (r < 0)
                return r;
        if (!streq(ext, "cil"))
                return -EMEDIUMTYPE;
        r = read_full_in_root(rootfd, p_cil, MODULE_MAX, &raw, &raw_len, NULL);
        if (r < 0)
                return r;
        if (raw_len >= 3 && memcmp(raw, "BZh", 3) == 0)
                return bunzip(raw, raw_len, cil, len);
        *cil = TAKE_PTR(raw);
        *len = raw_len;
        return 0;
}

bool store_module_exists(int rootfd, const char *type, int priority, const char *name) {
        _cleanup_free_ char *p = NULL;
        if (module_path(type, priority, name, NULL, &p) < 0)
                return false;
        _cleanup_close_ int fd = root_open_in(rootfd, p, O_PATH | O_DIRECTORY | O_CLOEXEC);
        return fd >= 0;
}

bool store_module_disabled(int rootfd, const char *type, const char *name) {
        _cleanup_free_ char *p = NULL;
        if (asprintf(&p, STORE "/%s/active/modules/disabled/%s", type, name) < 0)
                return false;
        _cleanup_close_ int fd = root_open_in(rootfd, p, O_PATH | O_CLOEXEC);
        return fd >= 0;
}
