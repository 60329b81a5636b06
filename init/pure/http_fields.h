/* http_fields.h - what the admin API reads from a request head that
 * http_parse_request() has accepted: a header field's value, HTTP Basic
 * credentials (RFC 7617), and the cross-site check of a browser's
 * Origin and Sec-Fetch-Site fields. Pure: no I/O, no allocation; results
 * point into the caller's buffers. */
#ifndef MINILINUX_HTTP_FIELDS_H
#define MINILINUX_HTTP_FIELDS_H

#include <stddef.h>

/* The value of the first field NAME (case-insensitive, RFC 9110 5.1) in
 * HEAD[0..LEN) (request line, fields, blank line), without the blanks
 * around it (RFC 9110 5.5); its length in *VLEN. NULL if absent. */
const char *http_field(const char *head, size_t len, const char *name, size_t *vlen);

/* Base64 (RFC 4648 4, with padding) of S[0..N) into OUT (at most MAX
 * bytes): the decoded length, or -1 for a bad alphabet, bad padding, a
 * length that is not a multiple of 4, or more than MAX bytes. */
long http_base64_decode(const char *s, size_t n, unsigned char *out, size_t max);

/* An Authorization field's value "Basic <base64>" decoded into BUF (MAX
 * bytes): the user in BUF[0..*ULEN), the password after it at *PW, *PWLEN
 * bytes (RFC 7617 2: split at the first colon). 0, or -1 if not Basic or
 * malformed. */
int http_basic_credentials(const char *v, size_t vlen, unsigned char *buf, size_t max,
			   size_t *ulen, const unsigned char **pw, size_t *pwlen);

/* 1 if a request that changes something may be taken: a browser's
 * Sec-Fetch-Site (SITE, may be NULL) is "same-origin" or "none", and an
 * Origin (ORIGIN, may be NULL; RFC 6454 7) is exactly "https://" + HOST.
 * Requests with neither (curl, scripts) pass. */
int http_same_origin(const char *origin, size_t olen, const char *host, size_t hlen,
		     const char *site, size_t slen);

#endif
