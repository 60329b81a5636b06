/* test_http_fields.c - header field look-up, Basic credentials (RFC 7617)
 * and the same-origin check of the admin API. Heads are placed against
 * the end of a heap block, so that ASan reports a read past them. */
#include "pure/http_fields.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>

static char *place(const char *s)
{
	size_t n = strlen(s);
	char *p = malloc(n ? n : 1);

	memcpy(p, s, n);
	return p;
}

static int field_is(const char *head, const char *name, const char *want)
{
	size_t n = strlen(head), vlen = 0;
	char *p = place(head);
	const char *v = http_field(p, n, name, &vlen);
	int ok = want ? v && vlen == strlen(want) && memcmp(v, want, vlen) == 0 : v == NULL;

	free(p);
	return ok;
}

static long b64(const char *s, unsigned char *out, size_t max)
{
	char *p = place(s);
	long n = http_base64_decode(p, strlen(s), out, max);

	free(p);
	return n;
}

static int creds(const char *v, const char *user, const char *pass)
{
	unsigned char buf[64];
	const unsigned char *pw;
	size_t ulen, pwlen;
	char *p = place(v);
	int r = http_basic_credentials(p, strlen(v), buf, sizeof(buf), &ulen, &pw, &pwlen);

	free(p);
	if (!user)
		return r < 0;
	return r == 0 && ulen == strlen(user) && memcmp(buf, user, ulen) == 0 &&
	       pwlen == strlen(pass) && memcmp(pw, pass, pwlen) == 0;
}

static int same(const char *origin, const char *host, const char *site)
{
	return http_same_origin(origin, origin ? strlen(origin) : 0, host, host ? strlen(host) : 0,
				site, site ? strlen(site) : 0);
}

int main(void)
{
	static const char head[] =
		"GET / HTTP/1.1\r\nHost: localhost:9443\r\nauthorization:   Basic YWRtaW46cHc= \r\n"
		"X-Empty:\r\nOrigin:\thttps://localhost:9443\t\r\n\r\n";
	unsigned char out[16];
	size_t i;

	CHECK(field_is(head, "Host", "localhost:9443"));
	CHECK(field_is(head, "HOST", "localhost:9443"));
	CHECK(field_is(head, "Authorization", "Basic YWRtaW46cHc="));
	CHECK(field_is(head, "Origin", "https://localhost:9443"));
	CHECK(field_is(head, "X-Empty", ""));
	CHECK(field_is(head, "X", NULL));		/* a prefix of a name is not it */
	CHECK(field_is(head, "Hos", NULL));
	CHECK(field_is(head, "Cookie", NULL));
	CHECK(field_is("GET /Host: x HTTP/1.1\r\n\r\n", "Host", NULL));	/* not in the request line */
	CHECK(field_is("GET / HTTP/1.1\nHost: a\n\n", "Host", "a"));	/* bare LF */
	CHECK(field_is("GET / HTTP/1.1\r\nHost: a", "Host", "a"));	/* cut short */
	CHECK(field_is("", "Host", NULL));
	/* Every prefix of the head: no read past it, and no field that is
	 * not complete in it is reported with more bytes than it has. */
	for (i = 0; i <= sizeof(head) - 1; i++) {
		char *p = malloc(i ? i : 1);
		size_t vlen;
		const char *v;

		memcpy(p, head, i);
		v = http_field(p, i, "Origin", &vlen);
		CHECK(!v || (v >= p && v + vlen <= p + i));
		free(p);
	}

	CHECK(b64("YWRtaW46cHc=", out, sizeof(out)) == 8 && memcmp(out, "admin:pw", 8) == 0);
	CHECK(b64("", out, sizeof(out)) == 0);
	CHECK(b64("Zg==", out, sizeof(out)) == 1 && out[0] == 'f');
	CHECK(b64("Zm8=", out, sizeof(out)) == 2 && memcmp(out, "fo", 2) == 0);
	CHECK(b64("Zm9v", out, sizeof(out)) == 3 && memcmp(out, "foo", 3) == 0);
	CHECK(b64("Zm9", out, sizeof(out)) == -1);	/* not a multiple of 4 */
	CHECK(b64("Z===", out, sizeof(out)) == -1);	/* three pads */
	CHECK(b64("Z=g=", out, sizeof(out)) == -1);	/* a pad inside */
	CHECK(b64("Zm9v!A==", out, sizeof(out)) == -1);
	CHECK(b64("Zm9vYmFy", out, 5) == -1);		/* more than max */
	CHECK(b64("Zm9vYmFy", out, 6) == 6);

	CHECK(creds("Basic YWRtaW46cHc=", "admin", "pw"));
	CHECK(creds("basic YWRtaW46cHc=", "admin", "pw"));
	CHECK(creds("BASIC   YWRtaW46cHc=", "admin", "pw"));
	CHECK(creds("Basic YWRtaW46OnB3Og==", "admin", ":pw:"));	/* first colon splits */
	CHECK(creds("Basic OnB3", "", "pw"));			/* ":pw" */
	CHECK(creds("Basic YWRtaW4=", NULL, NULL));		/* no colon */
	CHECK(creds("Bearer YWRtaW46cHc=", NULL, NULL));
	CHECK(creds("Basic", NULL, NULL));
	CHECK(creds("BasicYWRtaW46cHc=", NULL, NULL));
	CHECK(creds("Basic YWRtaW46cHc", NULL, NULL));
	CHECK(creds("Basic YWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFh",
		    NULL, NULL));	/* longer than the buffer */

	CHECK(same(NULL, "localhost:9443", NULL));			/* curl */
	CHECK(same("https://localhost:9443", "localhost:9443", NULL));
	CHECK(same("https://localhost:9443", "localhost:9443", "same-origin"));
	CHECK(same(NULL, "localhost:9443", "none"));			/* typed URL */
	CHECK(!same("https://evil.example", "localhost:9443", NULL));
	CHECK(!same("http://localhost:9443", "localhost:9443", NULL));	/* other scheme */
	CHECK(!same("https://localhost:9443.evil", "localhost:9443", NULL));
	CHECK(!same("https://localhost", "localhost:9443", NULL));
	CHECK(!same("null", "localhost:9443", NULL));
	CHECK(!same("https://localhost:9443", NULL, NULL));		/* no Host */
	CHECK(!same(NULL, "localhost:9443", "cross-site"));
	CHECK(!same(NULL, "localhost:9443", "same-site"));
	CHECK(!same("https://localhost:9443", "localhost:9443", "cross-site"));
	return check_done("test_http_fields");
}
