/* SPDX-License-Identifier: MIT */
/* gzip'd contents as Ignition reads them (compression: "gzip"): Go's
 * compress/gzip Reader, which reads one member after another to the end of
 * the data (multistream), checks each member's CRC and size, and refuses
 * empty data and anything after the last member that is not another. The
 * output is bounded: inflating stops at `max` bytes, so a small bomb costs
 * `max` bytes of memory and the time to write them, no more. */
#include "gzip.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <zlib.h>

#include "lib/util.h"

static void inflate_endp(z_stream **z) {
        if (*z)
                inflateEnd(*z);
}

int gzip_decompress(const char *in, size_t inlen, size_t max, char **out, size_t *outlen, const char **why) {
        _cleanup_free_ char *buf = NULL;
        z_stream zs = {0};
        _cleanup_(inflate_endp) z_stream *z = NULL;
        size_t cap = 0, used = 0, consumed = 0;
        int r;

        *why = NULL;
        if (inlen == 0) {
                *why = "empty data, not gzip";
                return -EINVAL;
        }
        /* 16 + MAX_WBITS: gzip framing only (no zlib, no raw deflate) */
        if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
                return -ENOMEM;
        z = &zs;
        for (;;) {
                if (used == cap) {
                        if (cap >= max + 1) {
                                *why = "decompressed contents too large";
                                return -EFBIG;
                        }
                        size_t nc = cap ? cap * 2 : 64 * 1024;
                        if (nc > max + 1)
                                nc = max + 1;
                        char *nb = realloc(buf, nc + 1);
                        if (!nb)
                                return -ENOMEM;
                        buf = nb;
                        cap = nc;
                }
                size_t avail_in = inlen - consumed, avail_out = cap - used;
                zs.next_in = (Bytef *)(uintptr_t)(in + consumed);
                zs.avail_in = avail_in > UINT_MAX ? UINT_MAX : (uInt)avail_in;
                zs.next_out = (Bytef *)buf + used;
                zs.avail_out = avail_out > UINT_MAX ? UINT_MAX : (uInt)avail_out;
                uInt in_before = zs.avail_in, out_before = zs.avail_out;
                r = inflate(&zs, Z_NO_FLUSH);
                consumed += in_before - zs.avail_in;
                used += out_before - zs.avail_out;
                if (used > max) {
                        *why = "decompressed contents too large";
                        return -EFBIG;
                }
                if (r == Z_STREAM_END) {
                        /* another member may follow; nothing else may */
                        if (consumed == inlen)
                                break;
                        if (inflateReset(&zs) != Z_OK)
                                return -ENOMEM;
                        continue;
                }
                if (r == Z_MEM_ERROR)
                        return -ENOMEM;
                if (r == Z_BUF_ERROR && consumed == inlen && zs.avail_out > 0) {
                        *why = "gzip data cut short";
                        return -EINVAL;
                }
                if (r != Z_OK && r != Z_BUF_ERROR) {
                        *why = zs.msg ? zs.msg : "invalid gzip data";
                        return -EINVAL;
                }
        }
        buf[used] = '\0';
        *out = TAKE_PTR(buf);
        *outlen = used;
        return 0;
}
