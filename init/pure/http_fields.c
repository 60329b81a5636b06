/* http_fields.c - header field look-up, Basic credentials and the
 * same-origin check (http_fields.h). The head has been accepted by
 * http_parse_request(), so its lines are well formed, but nothing here
 * relies on that: every read is checked against the length given. */
#include "pure/http_fields.h"

#include <string.h>

static int lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch + 32 : ch;
}

static int ieq(const char *a, size_t alen, const char *b)
{
	size_t i;

	if (alen != strlen(b))
		return 0;
	for (i = 0; i < alen; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return 0;
	return 1;
}

const char *http_field(const char *head, size_t len, const char *name, size_t *vlen)
{
	size_t nlen = strlen(name), i = 0, end, a, b;

	/* Past the request line. */
	while (i < len && head[i] != '\n')
		i++;
	for (i++; i < len; i = end + 1) {
		for (end = i; end < len && head[end] != '\n'; end++)
			;
		if (end - i <= nlen || head[i + nlen] != ':' || !ieq(head + i, nlen, name))
			continue;
		a = i + nlen + 1;
		b = end;
		while (a < b && (head[a] == ' ' || head[a] == '\t'))
			a++;
		while (b > a && (head[b - 1] == '\r' || head[b - 1] == ' ' || head[b - 1] == '\t'))
			b--;
		*vlen = b - a;
		return head + a;
	}
	return NULL;
}

static int b64_value(int ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+')
		return 62;
	if (ch == '/')
		return 63;
	return -1;
}

long http_base64_decode(const char *s, size_t n, unsigned char *out, size_t max)
{
	size_t i, o = 0, pad = 0;
	unsigned acc = 0;
	int bits = 0, v;

	if (n % 4)
		return -1;
	/* RFC 4648 3.2: padding only at the end, at most two. */
	while (pad < 2 && pad < n && s[n - 1 - pad] == '=')
		pad++;
	for (i = 0; i < n - pad; i++) {
		if ((v = b64_value((unsigned char)s[i])) < 0)
			return -1;
		acc = (acc << 6 | (unsigned)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o == max)
				return -1;
			out[o++] = (unsigned char)(acc >> bits);
		}
	}
	return (long)o;
}

int http_basic_credentials(const char *v, size_t vlen, unsigned char *buf, size_t max,
			   size_t *ulen, const unsigned char **pw, size_t *pwlen)
{
	long n;
	size_t i;

	/* RFC 9110 11.1: the scheme is case-insensitive. */
	if (vlen < 6 || !ieq(v, 5, "basic") || v[5] != ' ')
		return -1;
	for (v += 6, vlen -= 6; vlen && *v == ' '; v++, vlen--)
		;
	n = http_base64_decode(v, vlen, buf, max);
	if (n < 0)
		return -1;
	for (i = 0; i < (size_t)n && buf[i] != ':'; i++)
		;
	if (i == (size_t)n)
		return -1;
	*ulen = i;
	*pw = buf + i + 1;
	*pwlen = (size_t)n - i - 1;
	return 0;
}

int http_same_origin(const char *origin, size_t olen, const char *host, size_t hlen,
		     const char *site, size_t slen)
{
	if (site && !ieq(site, slen, "same-origin") && !ieq(site, slen, "none"))
		return 0;
	if (!origin)
		return 1;
	return host && hlen && olen == 8 + hlen && memcmp(origin, "https://", 8) == 0 &&
	       memcmp(origin + 8, host, hlen) == 0;
}
