/* http_parse.c - HTTP/1.x request head and chunked body parsing.
 *
 * Every read is p[i] with i < n checked first; n never exceeds the caller's
 * length nor HTTP_MAX_HEAD, so the parser cannot run past either. The head
 * is re-parsed from its start each time more bytes arrive: heads are small
 * (at most HTTP_MAX_HEAD) and most arrive in one read, so keeping no state
 * between calls is simpler and costs little.
 *
 * Grammar: RFC 9112 (HTTP/1.1 message syntax) and RFC 9110 (semantics). */
#include "pure/http_parse.h"

#include <string.h>

/* RFC 9110 5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" /
 * "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA, as a bitmap of
 * the 128 ASCII codes (32 bits per word). */
static const uint32_t tchar_map[4] = {
	0x00000000, 0x03ff6cfa, 0xc7fffffe, 0x57ffffff,
};

static int is_tchar(unsigned char c)
{
	return c < 128 && ((tchar_map[c >> 5] >> (c & 31)) & 1);
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Case-insensitive compare of s[0..len) with the lowercase word w. */
static int http_word_eq(const unsigned char *s, size_t len, const char *w)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (w[i] == '\0' || lower(s[i]) != w[i])
			return 0;
	return w[len] == '\0';
}

/* What the header fields say, gathered while the head is scanned. */
struct http_fields {
	unsigned hosts;
	unsigned char conn_close, conn_keep_alive;
	unsigned char te_seen;
};

/* Walk a comma-separated list (RFC 9110 5.6.1), calling fn on each
 * non-empty element with surrounding whitespace removed. */
static int http_list_each(const unsigned char *v, size_t len,
			  int (*fn)(struct http_request *, struct http_fields *,
				    const unsigned char *, size_t),
			  struct http_request *req, struct http_fields *f)
{
	size_t i = 0, start, end;

	while (i < len) {
		while (i < len && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		start = i;
		while (i < len && v[i] != ',')
			i++;
		end = i;
		while (end > start && (v[end - 1] == ' ' || v[end - 1] == '\t'))
			end--;
		if (end > start && fn(req, f, v + start, end - start) < 0)
			return -1;
	}
	return 0;
}

static int http_on_connection(struct http_request *req, struct http_fields *f,
			      const unsigned char *tok, size_t len)
{
	(void)req;
	if (http_word_eq(tok, len, "close"))
		f->conn_close = 1;
	else if (http_word_eq(tok, len, "keep-alive"))
		f->conn_keep_alive = 1;
	return 0;
}

/* RFC 9112 6.1: chunked must be the final coding and applied only once;
 * any other coding is not understood here, which is a 501. */
static int http_on_coding(struct http_request *req, struct http_fields *f,
			  const unsigned char *tok, size_t len)
{
	(void)f;
	if (!http_word_eq(tok, len, "chunked")) {
		req->status = 501;
		return -1;
	}
	if (req->chunked) {
		req->status = 400;
		return -1;
	}
	req->chunked = 1;
	return 0;
}

/* RFC 9112 6.3: Content-Length is 1*DIGIT. Repeated fields must agree. */
static int http_on_content_length(struct http_request *req,
				  const unsigned char *v, size_t len)
{
	uint64_t val = 0;
	size_t i;

	if (len == 0)
		return -1;
	for (i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		if (val > (UINT64_MAX - 9) / 10)
			val = UINT64_MAX;	/* saturate: the server answers 413 */
		else
			val = val * 10 + (uint64_t)(v[i] - '0');
	}
	if (req->has_content_length && req->content_length != val)
		return -1;
	req->has_content_length = 1;
	req->content_length = val;
	return 0;
}

static int http_on_field(struct http_request *req, struct http_fields *f,
			 const unsigned char *name, size_t name_len,
			 const unsigned char *v, size_t len)
{
	switch (name_len) {
	case 4:
		if (http_word_eq(name, name_len, "host"))
			f->hosts++;
		break;
	case 6:
		if (http_word_eq(name, name_len, "expect") &&
		    http_word_eq(v, len, "100-continue"))
			req->expect_continue = 1;
		break;
	case 10:
		if (http_word_eq(name, name_len, "connection"))
			return http_list_each(v, len, http_on_connection, req, f);
		break;
	case 14:
		if (http_word_eq(name, name_len, "content-length") &&
		    http_on_content_length(req, v, len) < 0) {
			req->status = 400;
			return -1;
		}
		break;
	case 17:
		if (http_word_eq(name, name_len, "transfer-encoding")) {
			f->te_seen = 1;
			return http_list_each(v, len, http_on_coding, req, f);
		}
		break;
	}
	return 0;
}

/* Line end at p[i]: CRLF, or a bare LF (RFC 9112 2.2 allows accepting it).
 * Returns its length, 0 if more bytes are needed, -1 if p[i] starts no
 * line end or is a bare CR. */
static int http_eol(const unsigned char *p, size_t i, size_t n)
{
	if (p[i] == '\n')
		return 1;
	if (p[i] != '\r')
		return -1;
	if (i + 1 >= n)
		return 0;
	return p[i + 1] == '\n' ? 2 : -1;
}

int http_parse_request(const char *buf, size_t len, struct http_request *req)
{
	const unsigned char *p = (const unsigned char *)buf;
	size_t n = len < HTTP_MAX_HEAD ? len : HTTP_MAX_HEAD;
	size_t i = 0, start, line = 0, colon, rl_end = 0, vend;
	struct http_fields f;
	unsigned crlfs = 0;
	int in_line = 1, e;

	memset(req, 0, sizeof(*req));
	memset(&f, 0, sizeof(f));
	req->status = 400;

	/* RFC 9112 2.2: ignore a few empty lines before the request line. */
	while (i < n && (p[i] == '\r' || p[i] == '\n')) {
		if ((e = http_eol(p, i, n)) < 0 || ++crlfs > HTTP_MAX_LEADING_CRLF)
			goto bad;
		if (e == 0)
			goto more;
		i += (size_t)e;
	}
	line = i;
	rl_end = line + HTTP_MAX_REQUEST_LINE < n ? line + HTTP_MAX_REQUEST_LINE : n;

	/* RFC 9112 3: request-line = method SP request-target SP HTTP-version */
	start = i;
	while (i < rl_end && is_tchar(p[i]) && i - start < HTTP_MAX_METHOD)
		i++;
	if (i == rl_end)
		goto more;
	if (p[i] != ' ' || i == start)
		goto bad;
	req->method = buf + start;
	req->method_len = i - start;
	if (req->method_len == 3 && memcmp(buf + start, "GET", 3) == 0)
		req->method_id = HTTP_METHOD_GET;
	else if (req->method_len == 4 && memcmp(buf + start, "HEAD", 4) == 0)
		req->method_id = HTTP_METHOD_HEAD;
	i++;

	/* Any visible ASCII; the server looks at it more closely. */
	start = i;
	while (i < rl_end && p[i] > 0x20 && p[i] < 0x7f)
		i++;
	if (i == rl_end)
		goto more;
	if (p[i] != ' ' || i == start)
		goto bad;
	req->target = buf + start;
	req->target_len = i - start;
	i++;

	/* RFC 9112 2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT */
	for (start = i; i < rl_end && i - start < 8; i++) {
		unsigned char want = "HTTP/1.1"[i - start];

		if (want == '1') {
			if (p[i] < '0' || p[i] > '9')
				goto bad;
		} else if (p[i] != want) {
			goto bad;
		}
	}
	if (i == rl_end)
		goto more;
	/* RFC 9110 6.2: only major version 1 is spoken here (505 otherwise);
	 * a later 1.x minor is answered as 1.1. */
	if (p[start + 5] != '1') {
		req->status = 505;
		return HTTP_PARSE_ERROR;
	}
	req->minor_version = p[start + 7] == '0' ? 0 : 1;
	if ((e = http_eol(p, i, rl_end)) < 0)
		goto bad;
	if (e == 0)
		goto more;
	i += (size_t)e;
	in_line = 0;

	/* RFC 9112 5: field-line = field-name ":" OWS field-value OWS */
	for (;;) {
		if (i >= n)
			goto more;
		if (p[i] == '\r' || p[i] == '\n') {
			if ((e = http_eol(p, i, n)) < 0)
				goto bad;
			if (e == 0)
				goto more;
			i += (size_t)e;
			break;
		}
		if (req->header_count == HTTP_MAX_HEADERS) {
			req->status = 431;
			return HTTP_PARSE_ERROR;
		}
		/* No whitespace before the colon (RFC 9112 5.1) and no obs-fold
		 * (RFC 9112 5.2): both end the name early and are a 400. */
		start = i;
		while (i < n && is_tchar(p[i]))
			i++;
		if (i >= n)
			goto more;
		if (p[i] != ':' || i == start)
			goto bad;
		colon = i++;
		while (i < n && (p[i] == ' ' || p[i] == '\t'))
			i++;
		vend = i;
		for (; i < n; i++) {
			unsigned char c = p[i];

			if (c == '\r' || c == '\n')
				break;
			/* RFC 9110 5.5: no CTLs in a field value, HTAB aside. */
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				goto bad;
			if (c != ' ' && c != '\t')
				vend = i + 1;
		}
		if (i >= n)
			goto more;
		if ((e = http_eol(p, i, n)) < 0)
			goto bad;
		if (e == 0)
			goto more;
		req->header_count++;
		{
			size_t vstart = colon + 1;

			while (vstart < vend && (p[vstart] == ' ' || p[vstart] == '\t'))
				vstart++;
			if (http_on_field(req, &f, p + start, colon - start,
					  p + vstart, vend - vstart) < 0)
				return HTTP_PARSE_ERROR;
		}
		i += (size_t)e;
	}

	/* RFC 9112 3.2: an HTTP/1.1 request has exactly one Host field. */
	if (f.hosts > 1 || (req->minor_version == 1 && f.hosts == 0))
		goto bad;
	if (f.te_seen) {
		/* RFC 9112 6.1: Transfer-Encoding in HTTP/1.0 means faulty
		 * framing; RFC 9112 6.3: with Content-Length as well, a
		 * smuggling attempt. Both are refused. */
		if (req->minor_version == 0 || req->has_content_length)
			goto bad;
		/* An empty list names no coding at all. */
		if (!req->chunked)
			goto bad;
	}
	req->keep_alive = !f.conn_close &&
			  (req->minor_version == 1 || f.conn_keep_alive);
	return (int)i;

more:
	if (in_line && rl_end - line == HTTP_MAX_REQUEST_LINE) {
		req->status = 414;
		return HTTP_PARSE_ERROR;
	}
	if (len >= HTTP_MAX_HEAD) {
		req->status = in_line ? 414 : 431;
		return HTTP_PARSE_ERROR;
	}
	return HTTP_PARSE_INCOMPLETE;
bad:
	req->status = 400;
	return HTTP_PARSE_ERROR;
}

/* ---- chunked body (RFC 9112 7.1) ---------------------------------------
 * chunked-body = *chunk last-chunk trailer-section CRLF
 * chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
 * Line ends must be CRLF here; a body is framing, not a place for leniency. */

enum {
	CH_SIZE,	/* hex digits of chunk-size */
	CH_EXT,		/* chunk-ext up to CR */
	CH_SIZE_LF,	/* LF after the size line */
	CH_DATA,	/* chunk-data */
	CH_DATA_CR,	/* CR after chunk-data */
	CH_DATA_LF,	/* LF after chunk-data */
	CH_TRAILER,	/* start of a trailer line, or the final CRLF */
	CH_TRAILER_LINE,/* a trailer field up to CR */
	CH_TRAILER_LF,	/* LF after a trailer field */
	CH_END_LF,	/* LF of the final CRLF */
	CH_DONE,
};

/* chunk-size is 1*HEXDIG; 15 digits (2^60) is far beyond any limit. */
#define HTTP_MAX_CHUNK_DIGITS	15

void http_chunked_init(struct http_chunked *c)
{
	memset(c, 0, sizeof(*c));
	c->state = CH_SIZE;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (unsigned char)lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

long http_chunked_skip(struct http_chunked *c, const char *buf, size_t len,
		       int *done)
{
	const unsigned char *p = (const unsigned char *)buf;
	size_t i = 0, take;
	int h;

	*done = c->state == CH_DONE;
	while (i < len && c->state != CH_DONE) {
		unsigned char ch = p[i];

		switch (c->state) {
		case CH_SIZE:
			if ((h = hexval(ch)) >= 0) {
				if (++c->digits > HTTP_MAX_CHUNK_DIGITS)
					return -1;
				c->left = c->left * 16 + (uint64_t)h;
				i++;
				break;
			}
			if (c->digits == 0)
				return -1;
			/* The caller compares the total with its limit before
			 * any of the chunk's data is read. */
			c->total = c->total + c->left < c->total ?
				   UINT64_MAX : c->total + c->left;
			c->line = 0;
			c->state = CH_EXT;
			break;
		case CH_EXT:
			if (ch == '\r') {
				c->state = CH_SIZE_LF;
			} else if ((ch < 0x20 && ch != '\t') || ch == 0x7f ||
				   ++c->line > HTTP_MAX_CHUNK_LINE) {
				return -1;
			}
			i++;
			break;
		case CH_SIZE_LF:
			if (ch != '\n')
				return -1;
			i++;
			c->state = c->left ? CH_DATA : CH_TRAILER;
			break;
		case CH_DATA:
			take = len - i;
			if (take > c->left)
				take = (size_t)c->left;
			c->left -= take;
			i += take;
			if (c->left == 0)
				c->state = CH_DATA_CR;
			break;
		case CH_DATA_CR:
		case CH_TRAILER_LINE:
			if (ch == '\r') {
				c->state = c->state == CH_DATA_CR ? CH_DATA_LF
								  : CH_TRAILER_LF;
			} else if (c->state == CH_DATA_CR ||
				   (ch < 0x20 && ch != '\t') || ch == 0x7f ||
				   ++c->line > HTTP_MAX_CHUNK_LINE) {
				return -1;
			}
			i++;
			break;
		case CH_DATA_LF:
		case CH_TRAILER_LF:
		case CH_END_LF:
			if (ch != '\n')
				return -1;
			i++;
			if (c->state == CH_DATA_LF) {
				c->digits = 0;
				c->state = CH_SIZE;
			} else {
				c->state = c->state == CH_END_LF ? CH_DONE
								 : CH_TRAILER;
			}
			break;
		case CH_TRAILER:
			c->line = 0;
			if (ch == '\r') {
				c->state = CH_END_LF;
				i++;
			} else {
				c->state = CH_TRAILER_LINE;
			}
			break;
		default:
			return -1;
		}
	}
	*done = c->state == CH_DONE;
	return (long)i;
}
