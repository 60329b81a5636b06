/* http_parse.h - HTTP/1.x request head parsing: pure, no I/O, no allocation.
 *
 * In the picohttpparser style: the caller hands over the bytes received so
 * far and gets back the length of the complete request head, -1 for an
 * error (with the status code to answer in req->status), or -2 when more
 * bytes are needed. Nothing is copied: strings point into the caller's
 * buffer. */
#ifndef MINILINUX_HTTP_PARSE_H
#define MINILINUX_HTTP_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* A request head (request line + header fields + blank line) longer than
 * this is refused: 414 if the request line alone is over
 * HTTP_MAX_REQUEST_LINE, else 431. The server's read buffer is this big. */
#define HTTP_MAX_HEAD		2048
#define HTTP_MAX_REQUEST_LINE	1024
#define HTTP_MAX_METHOD		16
#define HTTP_MAX_HEADERS	32
/* Empty lines ignored before a request line (RFC 9112 2.2). */
#define HTTP_MAX_LEADING_CRLF	4

#define HTTP_PARSE_ERROR	(-1)
#define HTTP_PARSE_INCOMPLETE	(-2)

enum http_method {
	HTTP_METHOD_OTHER,
	HTTP_METHOD_GET,
	HTTP_METHOD_HEAD,
};

struct http_request {
	const char *method;
	size_t method_len;
	const char *target;
	size_t target_len;
	unsigned char method_id;	/* enum http_method */
	unsigned char minor_version;	/* HTTP/1.0 or HTTP/1.1 */
	unsigned char keep_alive;	/* after version and Connection */
	unsigned char chunked;		/* Transfer-Encoding: chunked */
	unsigned char has_content_length;
	unsigned char expect_continue;	/* Expect: 100-continue */
	uint64_t content_length;	/* saturates at UINT64_MAX */
	size_t header_count;
	int status;			/* on HTTP_PARSE_ERROR: 400, 414... */
};

/* Parse the request head at buf[0..len). Returns the head's length in
 * bytes (the body, if any, follows), HTTP_PARSE_ERROR with req->status set,
 * or HTTP_PARSE_INCOMPLETE. Errors are reported as soon as the bytes seen
 * prove them, so garbage is refused before the head is complete. */
int http_parse_request(const char *buf, size_t len, struct http_request *req);

/* Chunked request body (RFC 9112 7.1), skipped without being stored. */
struct http_chunked {
	unsigned char state;
	unsigned char digits;
	uint64_t left;		/* bytes left in the current chunk's data */
	uint64_t total;		/* body bytes so far, for the size limit */
	size_t line;		/* bytes in the current extension/trailer line */
};

#define HTTP_MAX_CHUNK_LINE	256	/* chunk extensions, trailer lines */

void http_chunked_init(struct http_chunked *c);
/* Consume chunked body bytes from buf[0..len). Returns the bytes consumed
 * (all of len, or fewer when the body ends inside buf) or -1 on a framing
 * error; *done is set to 1 when the last chunk and trailer are over. */
long http_chunked_skip(struct http_chunked *c, const char *buf, size_t len,
		       int *done);

#endif
