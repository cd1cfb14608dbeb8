/* SPDX-License-Identifier: MIT */
/* RFC 2397 data: URLs as Ignition writes them in storage.files. */
#pragma once

#include <stddef.h>

/* Decodes `url` (base64 or percent-encoded). On success *out is a
 * malloc'd, NUL-terminated buffer of *outlen bytes. Returns 0, -EPROTONOSUPPORT
 * if the URL is not a data: URL, -EINVAL if it is malformed, -ENOMEM. */
int dataurl_decode(const char *url, char **out, size_t *outlen);
