/* SPDX-License-Identifier: MIT */
/* gzip'd file contents, as Ignition reads them (gzip.c). Private to config/. */
#pragma once

#include <stddef.h>

/* Decompresses the gzip data in[0..inlen) (one member or several, nothing
 * after them) into a malloc'd, NUL-terminated buffer of at most `max`
 * bytes. Returns 0; -EINVAL if it is not gzip data or is cut short or
 * corrupt; -EFBIG if it holds more than `max` bytes; -ENOMEM. *why (static
 * or zlib's) says what for -EINVAL and -EFBIG. */
int gzip_decompress(const char *in, size_t inlen, size_t max, char **out, size_t *outlen, const char **why);
