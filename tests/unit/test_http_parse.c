/* test_http_parse.c - the request parser against good, bad and truncated
 * input. Every input is copied flush against a PROT_NONE page, so a read
 * one byte past the end faults under test instead of passing silently. */
#include "check.h"
#include "pure/http_parse.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define GUARD_DATA_PAGES 2	/* room for inputs over HTTP_MAX_HEAD */

static char *guard_base;
static size_t guard_room;

static int guard_init(void)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	char *m;

	m = mmap(NULL, pg * (GUARD_DATA_PAGES + 1), PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return -1;
	if (mprotect(m + pg * GUARD_DATA_PAGES, pg, PROT_NONE) < 0)
		return -1;
	guard_base = m;
	guard_room = pg * GUARD_DATA_PAGES;
	return 0;
}

/* Copy s[0..len) so that its last byte is the last readable one. */
static const char *guard_put(const char *s, size_t len)
{
	char *p = guard_base + guard_room - len;

	memcpy(p, s, len);
	return p;
}

static int parse(const char *s, struct http_request *req)
{
	size_t len = strlen(s);

	return http_parse_request(guard_put(s, len), len, req);
}

/* Status for an input that must be refused. */
static int parse_status(const char *s)
{
	struct http_request req;

	if (parse(s, &req) != HTTP_PARSE_ERROR)
		return 0;
	return req.status;
}

/* Every strict prefix of a good request is incomplete, never an error. */
static void check_prefixes(const char *s)
{
	struct http_request req;
	size_t len = strlen(s), i;
	int bad = 0;

	for (i = 0; i < len; i++)
		if (http_parse_request(guard_put(s, i), i, &req) != HTTP_PARSE_INCOMPLETE)
			bad++;
	CHECK(bad == 0);
	CHECK(http_parse_request(guard_put(s, len), len, &req) == (int)len);
}

static void test_good(void)
{
	struct http_request req;
	static const char get[] = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
	static const char piped[] = "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /x HTTP/1.1\r\n";

	CHECK(parse(get, &req) == (int)strlen(get));
	CHECK(req.method_id == HTTP_METHOD_GET);
	CHECK(req.target_len == 1 && req.target[0] == '/');
	CHECK(req.minor_version == 1 && req.keep_alive == 1);
	CHECK(req.header_count == 1 && !req.has_content_length && !req.chunked);
	check_prefixes(get);
	check_prefixes("POST /form?a=b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
		       "X-Empty:\r\nX-Tab:\tv\t \r\n\r\n");

	/* Pipelined: only the first head is consumed. */
	CHECK(parse(piped, &req) == (int)strlen(get));

	CHECK(parse("HEAD /a HTTP/1.1\r\nHost: a\r\n\r\n", &req) > 0);
	CHECK(req.method_id == HTTP_METHOD_HEAD && req.target_len == 2);
	CHECK(parse("POST / HTTP/1.1\r\nHost: a\r\n\r\n", &req) > 0);
	CHECK(req.method_id == HTTP_METHOD_OTHER && req.method_len == 4);
	/* Methods are case-sensitive (RFC 9110 9.1). */
	CHECK(parse("get / HTTP/1.1\r\nHost: a\r\n\r\n", &req) > 0);
	CHECK(req.method_id == HTTP_METHOD_OTHER);

	/* Keep-alive rules (RFC 9112 9.3). */
	CHECK(parse("GET / HTTP/1.0\r\n\r\n", &req) > 0);
	CHECK(req.minor_version == 0 && req.keep_alive == 0);
	CHECK(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", &req) > 0);
	CHECK(req.keep_alive == 1);
	CHECK(parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: foo, CLOSE\r\n\r\n", &req) > 0);
	CHECK(req.keep_alive == 0);
	CHECK(parse("GET / HTTP/1.1\r\nHost: a\r\nconnection:close\r\n\r\n", &req) > 0);
	CHECK(req.keep_alive == 0);

	/* Bare LF line ends and leading empty lines (RFC 9112 2.2). */
	CHECK(parse("GET / HTTP/1.1\nHost: a\n\n", &req) == 24);
	CHECK(parse("\r\n\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", &req) == 30);
	/* A later 1.x minor is spoken to as 1.1. */
	CHECK(parse("GET / HTTP/1.7\r\nHost: a\r\n\r\n", &req) > 0);
	CHECK(req.minor_version == 1);

	/* Bodies. */
	CHECK(parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 42\r\n\r\n", &req) > 0);
	CHECK(req.has_content_length && req.content_length == 42);
	CHECK(parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
		    "content-length: 5\r\n\r\n", &req) > 0);
	CHECK(req.content_length == 5);
	CHECK(parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: "
		    "99999999999999999999999\r\n\r\n", &req) > 0);
	CHECK(req.content_length == UINT64_MAX);
	CHECK(parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n", &req) > 0);
	CHECK(req.chunked == 1);
	CHECK(parse("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\n"
		    "Content-Length: 1\r\n\r\n", &req) > 0);
	CHECK(req.expect_continue == 1);

	/* Limits are inclusive: exactly HTTP_MAX_HEADERS fields is fine. */
	{
		char buf[HTTP_MAX_HEAD];
		size_t n = 0;
		int i;

		n += (size_t)snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\n");
		for (i = 0; i < HTTP_MAX_HEADERS; i++)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "Host%s: %d\r\n",
					      i ? "x" : "", i);
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\r\n");
		CHECK(parse(buf, &req) == (int)n);
		CHECK(req.header_count == HTTP_MAX_HEADERS);
	}
}

static void test_bad(void)
{
	char big[HTTP_MAX_HEAD + 512];
	size_t n;
	int i;

	CHECK(parse_status("GET  / HTTP/1.1\r\nHost: a\r\n\r\n") == 400);
	CHECK(parse_status("GET / HTTP/1.1 \r\nHost: a\r\n\r\n") == 400);
	CHECK(parse_status("GET / http/1.1\r\nHost: a\r\n\r\n") == 400);
	CHECK(parse_status("GET / HTTP/1.x\r\nHost: a\r\n\r\n") == 400);
	CHECK(parse_status("GET / HTTP/2.0\r\nHost: a\r\n\r\n") == 505);
	CHECK(parse_status("GET / HTTP/0.9\r\n\r\n") == 505);
	CHECK(parse_status("GET /\r\n\r\n") == 400);
	CHECK(parse_status("G(T / HTTP/1.1\r\n") == 400);
	CHECK(parse_status("GET /a\x01 HTTP/1.1\r\n") == 400);
	CHECK(parse_status("GET / HTTP/1.1\rHost: a\r\n\r\n") == 400);
	CHECK(parse_status("\x16\x03\x01\x02\x00") == 400);	/* TLS hello */
	CHECK(parse_status("\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\n") == 400);
	CHECK(parse_status("GET / HTTP/1.1\r\n\r\n") == 400);	/* no Host */
	CHECK(parse_status("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") == 400);
	CHECK(parse_status("GET / HTTP/1.1\r\nHost : a\r\n\r\n") == 400);
	CHECK(parse_status("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n") == 400);
	CHECK(parse_status("GET / HTTP/1.1\r\nHost: a\r\n: v\r\n\r\n") == 400);
	CHECK(parse_status("GET / HTTP/1.1\r\nHost: a\x7f\r\n\r\n") == 400);
	CHECK(parse_status("GET / HTTP/1.1\r\nHost: a\x0b\r\n\r\n") == 400);
	{
		static const char nul[] = "GET / HTTP/1.1\r\nHost: a\0b\r\n\r\n";
		struct http_request req;

		CHECK(http_parse_request(guard_put(nul, sizeof(nul) - 1), sizeof(nul) - 1,
					 &req) == HTTP_PARSE_ERROR && req.status == 400);
	}
	CHECK(parse_status("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n") == 400);
	CHECK(parse_status("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1a\r\n\r\n") == 400);
	CHECK(parse_status("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n") == 400);
	CHECK(parse_status("GET / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n") == 400);
	CHECK(parse_status("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n"
			   "Content-Length: 2\r\n\r\n") == 400);
	/* Request smuggling shapes (RFC 9112 6.1, 6.3). */
	CHECK(parse_status("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
			   "Content-Length: 3\r\n\r\n") == 400);
	CHECK(parse_status("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n") == 400);
	CHECK(parse_status("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") == 501);
	CHECK(parse_status("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
			   "Transfer-Encoding: chunked\r\n\r\n") == 400);
	CHECK(parse_status("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ,\r\n\r\n") == 400);

	/* Too long: request line (414), even before its end arrives. */
	memset(big, 'a', sizeof(big));
	memcpy(big, "GET /", 5);
	big[HTTP_MAX_REQUEST_LINE + 10] = '\0';
	CHECK(parse_status(big) == 414);
	big[HTTP_MAX_REQUEST_LINE - 20] = '\0';
	CHECK(parse_status(big) == 0);		/* still incomplete */
	/* Too long: the head as a whole (431), and too many fields (431). */
	n = (size_t)snprintf(big, sizeof(big), "GET / HTTP/1.1\r\nHost: a\r\nX: ");
	memset(big + n, 'v', HTTP_MAX_HEAD);
	big[HTTP_MAX_HEAD + 10] = '\0';
	CHECK(parse_status(big) == 431);
	n = (size_t)snprintf(big, sizeof(big), "GET / HTTP/1.1\r\n");
	for (i = 0; i <= HTTP_MAX_HEADERS; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "X%d: %d\r\n", i, i);
	CHECK(parse_status(big) == 431);
	/* A long method is not worth waiting for. */
	CHECK(parse_status("ABCDEFGHIJKLMNOPQRSTUVWXYZ / HTTP/1.1\r\n") == 400);
}

/* Every tchar (RFC 9110 5.6.2) is accepted in a method, nothing else is. */
static void test_tchar(void)
{
	static const char extra[] = "!#$%&'*+-.^_`|~";
	struct http_request req;
	char buf[64];
	int c, wrong = 0, want, got;

	for (c = 1; c < 256; c++) {
		want = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		       (c >= 'A' && c <= 'Z') || (c != 0 && strchr(extra, c));
		snprintf(buf, sizeof(buf), "M%c / HTTP/1.1\r\nHost: a\r\n\r\n", c);
		got = http_parse_request(guard_put(buf, strlen(buf)), strlen(buf), &req) > 0;
		if (got != want)
			wrong++;
	}
	CHECK(wrong == 0);
}

/* Flip every byte of a request to a few values: any answer is fine, a
 * crash or a length past the input is not. */
static void test_mutations(void)
{
	static const char base[] = "POST /p?q HTTP/1.1\r\nHost: h\r\nConnection: close\r\n"
				   "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nhello";
	static const unsigned char vals[] = { 0, '\r', '\n', ' ', ':', 0x80, 0xff, 'a' };
	char buf[sizeof(base)];
	struct http_request req;
	size_t i, v, len = sizeof(base) - 1;
	int r, wrong = 0;

	for (i = 0; i < len; i++) {
		for (v = 0; v < sizeof(vals); v++) {
			memcpy(buf, base, len);
			buf[i] = (char)vals[v];
			r = http_parse_request(guard_put(buf, len), len, &req);
			if (r < -2 || r > (int)len ||
			    (r == HTTP_PARSE_ERROR && req.status < 400))
				wrong++;
		}
	}
	CHECK(wrong == 0);
}

static long chunked_all(const char *s, int *done, struct http_chunked *c)
{
	size_t len = strlen(s);

	http_chunked_init(c);
	return http_chunked_skip(c, guard_put(s, len), len, done);
}

static void test_chunked(void)
{
	static const char body[] = "5\r\nhello\r\n1a;ext=\"x\"\r\nabcdefghijklmnopqrstuvwxyz\r\n"
				   "0\r\nTrailer: t\r\n\r\n";
	struct http_chunked c;
	size_t i, len = strlen(body);
	long r;
	int done, wrong = 0;

	CHECK(chunked_all(body, &done, &c) == (long)len && done == 1);
	CHECK(c.total == 5 + 26);
	CHECK(chunked_all("0\r\n\r\nGET", &done, &c) == 5 && done == 1);

	/* One byte at a time, each flush against the guard page. */
	http_chunked_init(&c);
	for (i = 0; i < len; i++) {
		r = http_chunked_skip(&c, guard_put(body + i, 1), 1, &done);
		if (r != 1 || done != (i == len - 1))
			wrong++;
	}
	CHECK(wrong == 0);

	CHECK(chunked_all("5\r\nhelloX\r\n", &done, &c) == -1);
	CHECK(chunked_all("\r\n", &done, &c) == -1);
	CHECK(chunked_all("g\r\n", &done, &c) == -1);
	CHECK(chunked_all("5\nhello\r\n", &done, &c) == -1);
	CHECK(chunked_all("1234567890abcdef0\r\n", &done, &c) == -1);
	CHECK(chunked_all("0\r\nT: \x01\r\n\r\n", &done, &c) == -1);
	/* The size is counted before the data comes, for the caller's limit. */
	CHECK(chunked_all("fffffffffff\r\n", &done, &c) == 13 && !done);
	CHECK(c.total == 0xfffffffffffULL);
}

int main(void)
{
	if (guard_init() < 0) {
		perror("guard page");
		return 1;
	}
	test_good();
	test_bad();
	test_tchar();
	test_mutations();
	test_chunked();
	return check_done("http_parse");
}
