/* SPDX-License-Identifier: MIT */
/* data: URLs (RFC 2397) exactly as Ignition accepts and decodes them
 * (dataurl.c says from where). */
#pragma once

#include <stddef.h>

/* Decodes the `n` bytes of `url` (a JSON string's value: it may hold NULs).
 * On success *out is a malloc'd, NUL-terminated buffer of *outlen bytes.
 * Returns 0; -EPROTONOSUPPORT if the URL's scheme is not "data" (or it has
 * none); -EINVAL if Ignition would refuse it, *why (may be NULL) then a
 * static reason ("invalid data character"); -ENOMEM. */
int dataurl_decode_ex(const char *url, size_t n, char **out, size_t *outlen, const char **why);

/* The same for a C string. */
int dataurl_decode(const char *url, char **out, size_t *outlen);

/* The scheme of `url` as Go's net/url Parse() finds it, lower-cased into
 * `scheme` (size bytes; "" when there is none). -EINVAL, *why set, where
 * Parse() fails: a control character before the fragment, a ':' first, a
 * bad %-escape in the fragment. */
int url_scheme(const char *url, size_t n, char *scheme, size_t size, const char **why);
