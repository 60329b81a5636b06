/* admin.c - the HTTPS admin API role: TLS (BearSSL), HTTP Basic, and
 * the endpoints of docs/admin.md.
 *
 * Design:
 * - One process, one epoll loop, non-blocking sockets. A fixed pool of
 *   ADMIN_MAX_CONNS connections, each with its own TLS engine and buffers,
 *   mapped once at start. One client address (IPv6: its /64) holds at
 *   most ADMIN_MAX_CONNS_PER_ADDR of them: past that its own oldest
 *   connection not being answered makes room, so a flood from one host
 *   only recycles its own slots. When the pool is full, a connection
 *   whose answer is out goes first, then the oldest that is handshaking
 *   or idle (or else still sending its head) and older than
 *   ADMIN_EVICT_MIN_AGE_MS; if none, the new one is closed. So neither
 *   a flood of half-open connections nor one of bare connects keeps a
 *   live client out. After an answer that ends the connection, the
 *   socket is shut once our close_notify is out; the peer's is awaited
 *   at most ADMIN_CLOSE_MS.
 * - Deadlines: the TLS handshake and each request head must arrive
 *   within ADMIN_HEAD_TIMEOUT_MS, whatever rate the bytes trickle in at;
 *   a body or a response must make progress every ADMIN_IO_TIMEOUT_MS.
 * - Responses are built whole in one of ADMIN_RESP_BUFS buffers lent to
 *   the connection until the TLS engine has taken every byte; none free
 *   is a 503. Nothing is allocated after start.
 * - The request head goes through pure/http_parse (the built-in server's
 *   parser); pure/http_fields looks up the few header fields needed in
 *   the head that parser has accepted.
 * - Authority stays with PID 1: status, logs, restarts, reboot and
 *   power-off are requests over the control channel (pid1/control.h),
 *   one at a time, answered at once. Updates stream to the update role's
 *   socket (docs/admin.md: PUT /api/update). */
#include "admin/admin.h"
#include "pure/http_fields.h"
#include "pure/http_parse.h"
#include "lib/log.h"
#include "lib/roles.h"

#include <bearssl.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#ifndef ADMIN_PORT
#define ADMIN_PORT 9443
#endif
#define ADMIN_DIR              "/etc/minilinux/admin"
#define ADMIN_UPDATE_SOCK      "/run/update/sock"
#define ADMIN_UPDATE_STATUS    "/run/update/status"
#define ADMIN_CONTROL_FD       4	/* SVC_CONTROL_FD */
#define ADMIN_MAX_CONNS        32
#define ADMIN_MAX_CONNS_PER_ADDR 8	/* of them from one client address (IPv6: its /64) */
#define ADMIN_EVICT_MIN_AGE_MS 2000	/* a new connection's time to finish its handshake */
#define ADMIN_CLOSE_MS         1000	/* after our close_notify, for the peer's */
#define ADMIN_BACKLOG          1024
#define ADMIN_MAX_EVENTS       64
#define ADMIN_TLS_IBUF         BR_SSL_BUFSIZE_INPUT	/* a whole record of any client */
#define ADMIN_TLS_OBUF         (4096 + 85)	/* our records: 4 KiB of data each */
#define ADMIN_RESP_BUFS        4
#define ADMIN_RESP_MAX         (128 * 1024)
#define ADMIN_HEAD_RESERVE     1024	/* room for the response head before the body */
#define ADMIN_HEAD_TIMEOUT_MS  10000	/* handshake, and each request head */
#define ADMIN_IO_TIMEOUT_MS    30000	/* body or response without progress */
#define ADMIN_UPDATE_REPLY_MS  120000	/* the update role checks the bundle */
#define ADMIN_CONTROL_MS       2000	/* PID 1 answers at once */
#define ADMIN_MAX_FORM_BODY    4096	/* POST bodies are read and dropped */
#define ADMIN_UPDATE_LINE_MAX  256
#define ADMIN_CERT_MAX         4096
#define ADMIN_KEY_MAX          512
#define ADMIN_PASSWORD_MAX     128
/* Failed logins: a leaky bucket per client address. Each failure adds
 * ADMIN_RL_COST_MS to the address's debt, which drains in real time; an
 * address owing more than ADMIN_RL_BURST failures' worth gets 429 until
 * it is under again. Other addresses are not affected. */
#define ADMIN_RL_SLOTS         256
#define ADMIN_RL_COST_MS       2000
#define ADMIN_RL_BURST         5

enum { C_FREE, C_OPEN };
enum { B_NONE, B_DISCARD, B_UPDATE, B_STOPPED };

struct conn {
	int fd;
	unsigned char state;
	unsigned char busy;		/* a request is being read or answered */
	unsigned char close_after;	/* close once the response is sent */
	unsigned char body;		/* B_* */
	unsigned char interim;		/* "100 Continue" to send first */
	unsigned char up_out;		/* update socket registered for EPOLLOUT */
	unsigned char head_only;	/* a HEAD request: the response has no body */
	unsigned char closing;		/* our close_notify queued: the slot is done */
	unsigned char shut;		/* ... and sent (write side shut down) */
	unsigned events;		/* registered for these */
	unsigned char addr[16];
	int64_t accepted_ms, deadline;
	uint64_t body_left;
	size_t req_len;
	const char *resp;		/* unsent response bytes */
	size_t resp_len;
	int resp_buf;			/* lent buffer, or -1 */
	/* PUT /api/update */
	int up_fd;
	size_t up_hdr_len, up_hdr_off;
	char up_hdr[32];
	size_t up_line_len;
	char up_line[ADMIN_UPDATE_LINE_MAX];
	br_ssl_server_context sc;
	unsigned char ibuf[ADMIN_TLS_IBUF];
	unsigned char obuf[ADMIN_TLS_OBUF];
	char req[HTTP_MAX_HEAD];
};

static struct conn *conns;
static unsigned nconns;
static char *resp_bufs;
static unsigned char resp_used[ADMIN_RESP_BUFS];
static int epfd = -1, listen_fd = -1, control_fd = -1;
static int64_t now_ms;
static unsigned long admin_requests;
static const char *admin_update_sock = ADMIN_UPDATE_SOCK;
const char *admin_update_status = ADMIN_UPDATE_STATUS;
const char *admin_data_dir = "/data";
const char *admin_httpd_status = "/run/httpd/status";

/* Key material, read at start. */
static unsigned char cert_der[ADMIN_CERT_MAX];
static br_x509_certificate cert_chain;
static unsigned char key_x[BR_EC_KBUF_PRIV_MAX_SIZE];
static br_ec_private_key ec_key;
static char auth_salt[65];
static unsigned char auth_hash[32];

static const uint16_t admin_suites[] = {
	BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
};

static struct {
	unsigned char addr[16];
	int64_t until;	/* CLOCK_MONOTONIC ms when the debt is paid */
} rl_table[ADMIN_RL_SLOTS];

/* Event tags above any connection index. */
#define EV_LISTEN  0xffffffffu
#define EV_UPDATE  0x80000000u	/* | connection index: its update socket */

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- output buffers ------------------------------------------------------ */

void out_init(struct out *o, char *buf, size_t cap)
{
	o->p = buf;
	o->len = 0;
	o->cap = cap;
	o->overflow = 0;
}

void out_mem(struct out *o, const char *s, size_t n)
{
	if (o->overflow || n > o->cap - o->len) {
		o->overflow = 1;
		return;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
}

void out_str(struct out *o, const char *s)
{
	out_mem(o, s, strlen(s));
}

void out_fmt(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->cap - o->len)
		o->overflow = 1;
	else
		o->len += (size_t)n;
}

/* A JSON string (RFC 8259 7), quotes included. */
void out_json(struct out *o, const char *s, size_t n)
{
	size_t i;

	out_mem(o, "\"", 1);
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '"' || ch == '\\') {
			out_mem(o, "\\", 1);
			out_mem(o, (const char *)&s[i], 1);
		} else if (ch < 0x20 || ch == 0x7f) {
			out_fmt(o, "\\u%04x", ch);
		} else {
			out_mem(o, (const char *)&s[i], 1);
		}
	}
	out_mem(o, "\"", 1);
}

/* Text in HTML, escaped. */
void out_html(struct out *o, const char *s, size_t n)
{
	size_t i, start = 0;

	for (i = 0; i < n; i++) {
		const char *rep = NULL;

		switch (s[i]) {
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '&': rep = "&amp;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: break;
		}
		if (!rep && (unsigned char)s[i] < 0x20 && s[i] != '\n' && s[i] != '\t')
			rep = "?";
		if (rep) {
			out_mem(o, s + start, i - start);
			out_str(o, rep);
			start = i + 1;
		}
	}
	out_mem(o, s + start, n - start);
}

/* ---- the control channel to PID 1 --------------------------------------- */

/* One request, one answer (into BUF, NUL-terminated): the answer's length
 * after its "ok\n", or -1 with the reason in BUF (no channel, an "err"
 * answer, no answer in time). */
ssize_t admin_control(const char *req, char *buf, size_t len)
{
	struct pollfd p = { .fd = control_fd, .events = POLLIN };
	int64_t until = mono_ms() + ADMIN_CONTROL_MS, left;
	ssize_t n;
	int r;

	if (control_fd < 0) {
		snprintf(buf, len, "no control channel");
		return -1;
	}
	/* A late answer to an earlier request that timed out: drop it. */
	while (recv(control_fd, buf, len, MSG_DONTWAIT) > 0)
		;
	if (send(control_fd, req, strlen(req), MSG_NOSIGNAL) < 0) {
		snprintf(buf, len, "control channel: %s", strerror(errno));
		return -1;
	}
	/* A signal (PID 1's SIGTERM right after it answers "reboot") is no
	 * reason to give up waiting. */
	do {
		left = until - mono_ms();
		r = poll(&p, 1, left > 0 ? (int)left : 0);
	} while (r < 0 && errno == EINTR);
	if (r <= 0) {
		snprintf(buf, len, "no answer from init");
		return -1;
	}
	n = recv(control_fd, buf, len - 1, MSG_DONTWAIT);
	if (n < 0) {
		snprintf(buf, len, "control channel: %s", strerror(errno));
		return -1;
	}
	buf[n] = '\0';
	if (n >= 3 && memcmp(buf, "ok\n", 3) == 0) {
		memmove(buf, buf + 3, (size_t)n - 2);
		return n - 3;
	}
	if (n >= 4 && memcmp(buf, "err ", 4) == 0) {
		memmove(buf, buf + 4, (size_t)n - 3);
		n -= 4;
		if (n > 0 && buf[n - 1] == '\n')
			buf[n - 1] = '\0';
	}
	return -1;
}

/* ---- header fields ------------------------------------------------------- */

static int lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch + 32 : ch;
}

static int str_eq(const char *a, size_t alen, const char *b)
{
	return alen == strlen(b) && memcmp(a, b, alen) == 0;
}

static int str_ieq(const char *a, size_t alen, const char *b)
{
	size_t i;

	if (alen != strlen(b))
		return 0;
	for (i = 0; i < alen; i++)
		if (lower(a[i]) != lower(b[i]))
			return 0;
	return 1;
}

/* ---- authentication -------------------------------------------------------- */

/* 1 if the Authorization field carries admin's password. The password is
 * hashed as the image's hash was made (docs/admin.md) and the digests
 * compared in constant time; the user name too, without a shortcut. */
static int auth_ok(const char *head, size_t len)
{
	unsigned char dec[8 + ADMIN_PASSWORD_MAX], digest[32];
	const unsigned char *pw;
	br_sha256_context h;
	const char *v;
	size_t vlen, i, ulen, pwlen;
	unsigned diff = 0;

	v = http_field(head, len, "Authorization", &vlen);
	if (!v || http_basic_credentials(v, vlen, dec, sizeof(dec), &ulen, &pw, &pwlen) < 0)
		return 0;
	diff |= (unsigned)(ulen ^ 5);
	for (i = 0; i < 5; i++)
		diff |= (unsigned)(dec[i < ulen ? i : 0] ^ (unsigned char)"admin"[i]);
	br_sha256_init(&h);
	br_sha256_update(&h, auth_salt, strlen(auth_salt));
	br_sha256_update(&h, ":", 1);
	br_sha256_update(&h, pw, pwlen);
	br_sha256_out(&h, digest);
	for (i = 0; i < sizeof(digest); i++)
		diff |= (unsigned)(digest[i] ^ auth_hash[i]);
	return diff == 0;
}

static int rl_find(const unsigned char *addr, int create)
{
	int i, best = 0;

	for (i = 0; i < ADMIN_RL_SLOTS; i++)
		if (rl_table[i].until > now_ms && memcmp(rl_table[i].addr, addr, 16) == 0)
			return i;
	if (!create)
		return -1;
	/* A free slot, or the one closest to paid off. */
	for (i = 0; i < ADMIN_RL_SLOTS; i++) {
		if (rl_table[i].until <= now_ms) {
			best = i;
			break;
		}
		if (rl_table[i].until < rl_table[best].until)
			best = i;
	}
	memcpy(rl_table[best].addr, addr, 16);
	rl_table[best].until = now_ms;
	return best;
}

/* Seconds until ADDR may try again, or 0 if it may now. */
static unsigned rl_wait_s(const unsigned char *addr)
{
	int i = rl_find(addr, 0);
	int64_t over;

	if (i < 0)
		return 0;
	over = rl_table[i].until - now_ms - (int64_t)(ADMIN_RL_BURST - 1) * ADMIN_RL_COST_MS;
	return over > 0 ? (unsigned)((over + 999) / 1000) : 0;
}

static void rl_fail(const unsigned char *addr)
{
	int i = rl_find(addr, 1);

	rl_table[i].until = (rl_table[i].until > now_ms ? rl_table[i].until : now_ms) +
			    ADMIN_RL_COST_MS;
}

/* ---- responses ----------------------------------------------------------- */

static const struct { int code; const char *reason; } statuses[] = {
	{ 100, "Continue" }, { 200, "OK" }, { 303, "See Other" }, { 400, "Bad Request" },
	{ 401, "Unauthorized" }, { 403, "Forbidden" }, { 404, "Not Found" },
	{ 405, "Method Not Allowed" }, { 408, "Request Timeout" }, { 409, "Conflict" },
	{ 411, "Length Required" }, { 413, "Content Too Large" }, { 414, "URI Too Long" },
	{ 429, "Too Many Requests" }, { 431, "Request Header Fields Too Large" },
	{ 500, "Internal Server Error" }, { 501, "Not Implemented" }, { 502, "Bad Gateway" },
	{ 503, "Service Unavailable" }, { 504, "Gateway Timeout" }, { 505, "HTTP Version Not Supported" },
};

static const char *status_reason(int code)
{
	size_t i;

	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (statuses[i].code == code)
			return statuses[i].reason;
	return code < 300 ? "OK" : code < 500 ? "Bad Request" : "Internal Server Error";
}

static const char resp_busy[] =
	"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
	"Retry-After: 1\r\nConnection: close\r\n\r\nbusy\n";

/* resp_busy, without its body for HEAD. */
static void resp_set_busy(struct conn *c)
{
	c->resp = resp_busy;
	c->resp_len = sizeof(resp_busy) - 1 - (c->head_only ? 5 : 0);
	c->close_after = 1;
}

static int resp_get(void)
{
	int i;

	for (i = 0; i < ADMIN_RESP_BUFS; i++)
		if (!resp_used[i]) {
			resp_used[i] = 1;
			return i;
		}
	return -1;
}

static void resp_release(struct conn *c)
{
	if (c->resp_buf >= 0)
		resp_used[c->resp_buf] = 0;
	c->resp_buf = -1;
	c->resp = NULL;
	c->resp_len = 0;
}

/* A response body is built here: the buffer's body part. */
static int resp_begin(struct conn *c, struct out *body)
{
	if (c->resp_buf < 0 && (c->resp_buf = resp_get()) < 0)
		return -1;
	out_init(body, resp_bufs + (size_t)c->resp_buf * ADMIN_RESP_MAX + ADMIN_HEAD_RESERVE,
		 ADMIN_RESP_MAX - ADMIN_HEAD_RESERVE);
	return 0;
}

/* Put the head in front of the body built since resp_begin(); EXTRA
 * holds more header lines ("Name: value\r\n"...), or NULL. */
static void resp_finish(struct conn *c, int code, const char *type, const char *extra,
			struct out *body, int head_only)
{
	char head[ADMIN_HEAD_RESERVE];
	char *base = resp_bufs + (size_t)c->resp_buf * ADMIN_RESP_MAX;
	int n;

	if (body->overflow) {
		body->len = 0;
		body->overflow = 0;
		out_str(body, "response too large\n");
		code = 500;
		type = "text/plain; charset=utf-8";
		extra = NULL;
	}
	n = snprintf(head, sizeof(head),
		     "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
		     "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"
		     "X-Frame-Options: DENY\r\nReferrer-Policy: same-origin\r\n"
		     "Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; "
		     "form-action 'self'; frame-ancestors 'none'\r\n%s%s\r\n",
		     code, status_reason(code), type, body->len, extra ? extra : "",
		     c->close_after ? "Connection: close\r\n" : "");
	if (n < 0 || n >= (int)sizeof(head))
		n = 0;	/* cannot happen: the extra lines are ours and short */
	memcpy(base + ADMIN_HEAD_RESERVE - n, head, (size_t)n);
	c->resp = base + ADMIN_HEAD_RESERVE - n;
	c->resp_len = (size_t)n + (head_only || c->head_only ? 0 : body->len);
	c->deadline = now_ms + ADMIN_IO_TIMEOUT_MS;
}

/* A short text response. */
static void resp_text(struct conn *c, int code, const char *extra, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void resp_text(struct conn *c, int code, const char *extra, const char *fmt, ...)
{
	struct out body;
	va_list ap;
	int n;

	if (resp_begin(c, &body) < 0) {
		resp_set_busy(c);
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(body.p, body.cap, fmt, ap);
	va_end(ap);
	body.len = n > 0 && (size_t)n < body.cap ? (size_t)n : 0;
	resp_finish(c, code, "text/plain; charset=utf-8", extra, &body, 0);
}

/* ---- connections ------------------------------------------------------ */

static void conn_close(struct conn *c)
{
	if (c->state == C_FREE)
		return;
	if (c->up_fd >= 0) {
		close(c->up_fd);	/* the update role discards a partial bundle */
		c->up_fd = -1;
	}
	resp_release(c);
	close(c->fd);
	c->fd = -1;
	c->state = C_FREE;
	nconns--;
}

/* Level-triggered epoll, so only for what the TLS engine wants now: a
 * readable socket it does not read from would wake the loop for ever. */
static int conn_set_events(struct conn *c, unsigned want)
{
	struct epoll_event ev = { .events = want, .data.u32 = (uint32_t)(c - conns) };

	if (c->events == want)
		return 0;
	c->events = want;
	return epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

/* The update socket: always its answer, its space only when we wait. */
static void up_set_events(struct conn *c, int out)
{
	struct epoll_event ev = { .events = EPOLLIN | (out ? EPOLLOUT : 0),
				  .data.u32 = EV_UPDATE | (uint32_t)(c - conns) };

	if (c->up_fd < 0 || c->up_out == out)
		return;
	c->up_out = (unsigned char)out;
	epoll_ctl(epfd, EPOLL_CTL_MOD, c->up_fd, &ev);
}

/* The answer ends the connection: queue our close_notify. Once the last
 * record is out, the slot may be taken back at once (conn_evict), and is
 * after ADMIN_CLOSE_MS. */
static void conn_closing(struct conn *c)
{
	br_ssl_engine_close(&c->sc.eng);
	c->closing = 1;
	c->busy = 0;
	c->deadline = now_ms + ADMIN_IO_TIMEOUT_MS;	/* ADMIN_CLOSE_MS once it is out */
}

/* Ready for the next request on the same connection. */
static void conn_next_request(struct conn *c)
{
	c->busy = c->req_len > 0;
	c->body = B_NONE;
	c->head_only = 0;
	c->deadline = now_ms + ADMIN_HEAD_TIMEOUT_MS;
}

static void update_start(struct conn *c, uint64_t len);
static void api_dispatch(struct conn *c, const struct http_request *r, const char *head, size_t hlen);

/* The client address, for the failed-login table and the per-address
 * cap: IPv4 is mapped; IPv6 is cut to its /64, the least a host gets
 * (so rotating addresses in it gains nothing). Unknown: all zero. */
static int conn_addr(int fd, unsigned char addr[16])
{
	static const unsigned char mapped[12] = { [10] = 0xff, [11] = 0xff };
	struct sockaddr_in6 sa = { 0 };
	socklen_t sl = sizeof(sa);

	memset(addr, 0, 16);
	if (getpeername(fd, (struct sockaddr *)&sa, &sl) < 0)
		return -1;
	if (sa.sin6_family == AF_INET6) {
		memcpy(addr, &sa.sin6_addr, 16);
		if (memcmp(addr, mapped, sizeof(mapped)) != 0)
			memset(addr + 8, 0, 8);
	} else if (sa.sin6_family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&sa;

		addr[10] = addr[11] = 0xff;
		memcpy(addr + 12, &s4->sin_addr, 4);
	} else {
		return -1;
	}
	return 0;
}

/* A whole head in c->req[0..hlen): answer it. */
static void conn_on_head(struct conn *c, const struct http_request *r, size_t hlen)
{
	unsigned wait;

	admin_requests++;
	c->close_after = !r->keep_alive;
	c->head_only = r->method_id == HTTP_METHOD_HEAD;
	if (r->chunked) {
		/* Our clients send a length; not worth a second body reader. */
		c->close_after = 1;
		resp_text(c, 411, NULL, "a Content-Length is required\n");
		c->body = B_STOPPED;
		return;
	}
	if ((wait = rl_wait_s(c->addr)) > 0) {
		char extra[40];

		snprintf(extra, sizeof(extra), "Retry-After: %u\r\n", wait);
		c->close_after = 1;
		c->body = B_STOPPED;
		resp_text(c, 429, extra, "too many failed logins from this address; retry in %u s\n", wait);
		return;
	}
	if (!auth_ok(c->req, hlen)) {
		size_t vlen;

		/* A request without credentials is how a browser asks for the
		 * challenge: only a wrong password counts as a failure. */
		if (http_field(c->req, hlen, "Authorization", &vlen))
			rl_fail(c->addr);
		if (r->has_content_length && r->content_length) {
			c->close_after = 1;
			c->body = B_STOPPED;
		}
		resp_text(c, 401, "WWW-Authenticate: Basic realm=\"minilinux\", charset=\"UTF-8\"\r\n",
			  "authentication required\n");
		return;
	}
	api_dispatch(c, r, c->req, hlen);
}

/* Bytes of the request head, or of a body, from the TLS engine. Returns
 * how many were taken (0: not now). */
static size_t conn_take(struct conn *c, const unsigned char *p, size_t n)
{
	struct http_request r;
	size_t take;
	int hlen;

	if (c->closing)
		return n;	/* the connection is ending: dropped */
	if (c->resp || c->interim)
		return 0;	/* one request at a time: answer this one first */
	switch (c->body) {
	case B_DISCARD:
		take = n < c->body_left ? n : (size_t)c->body_left;
		c->body_left -= take;
		if (!c->body_left)
			conn_next_request(c);
		return take;
	case B_UPDATE:
		return 0;	/* update_pump() takes them */
	case B_STOPPED:
		return 0;
	default:
		break;
	}
	take = sizeof(c->req) - c->req_len;
	if (take > n)
		take = n;
	memcpy(c->req + c->req_len, p, take);
	c->req_len += take;
	c->busy = 1;
	hlen = http_parse_request(c->req, c->req_len, &r);
	if (hlen == HTTP_PARSE_INCOMPLETE && c->req_len == sizeof(c->req)) {
		r.status = 431;
		hlen = HTTP_PARSE_ERROR;
	}
	if (hlen == HTTP_PARSE_ERROR) {
		c->close_after = 1;
		c->body = B_STOPPED;
		resp_text(c, r.status ? r.status : 400, NULL, "bad request\n");
		return take;
	}
	if (hlen == HTTP_PARSE_INCOMPLETE)
		return take;
	/* Bytes after the head belong to the body or the next request:
	 * give them back to the engine's view by taking fewer. */
	if ((size_t)hlen < c->req_len) {
		size_t extra = c->req_len - (size_t)hlen;

		if (extra > take) {
			/* Left over from an earlier read: cannot be handed back. */
			c->close_after = 1;
			c->body = B_STOPPED;
			resp_text(c, 400, NULL, "pipelined requests are not supported\n");
			return take;
		}
		take -= extra;
		c->req_len = (size_t)hlen;
	}
	c->body_left = r.has_content_length ? r.content_length : 0;
	conn_on_head(c, &r, (size_t)hlen);
	c->req_len = 0;
	if (c->body == B_NONE && c->body_left) {
		if (c->body_left > ADMIN_MAX_FORM_BODY) {
			resp_release(c);
			c->close_after = 1;
			c->body = B_STOPPED;
			resp_text(c, 413, NULL, "request body too large\n");
		} else {
			c->body = B_DISCARD;
		}
	}
	if (c->body == B_UPDATE && r.expect_continue)
		c->interim = 1;
	return take;
}

/* ---- PUT /api/update: stream to the update role ---------------------------- */

static void update_reply(struct conn *c, int code, const char *msg, size_t len)
{
	struct out body;

	if (c->up_fd >= 0) {
		epoll_ctl(epfd, EPOLL_CTL_DEL, c->up_fd, NULL);
		close(c->up_fd);
		c->up_fd = -1;
	}
	c->interim = 0;
	if (c->body_left) {
		c->close_after = 1;	/* the rest of the body is not read */
		c->body = B_STOPPED;
	} else {
		c->body = B_NONE;
	}
	if (resp_begin(c, &body) < 0) {
		resp_set_busy(c);
		return;
	}
	if (code == 200 && len > 7 && memcmp(msg, "staged ", 7) == 0) {
		out_str(&body, "{\"staged\":");
		out_json(&body, msg + 7, len - 7);
		out_str(&body, ",\"message\":");
		out_json(&body, msg, len);
		out_str(&body, "}\n");
		resp_finish(c, code, "application/json", NULL, &body, 0);
		return;
	}
	out_mem(&body, msg, len);
	out_str(&body, "\n");
	resp_finish(c, code, "text/plain; charset=utf-8", NULL, &body, 0);
}

static void update_start(struct conn *c, uint64_t len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT,
				  .data.u32 = EV_UPDATE | (uint32_t)(c - conns) };
	int fd;

	c->up_out = 1;
	if (strlen(admin_update_sock) >= sizeof(sa.sun_path)) {
		resp_text(c, 500, NULL, "update socket path too long\n");
		return;
	}
	strcpy(sa.sun_path, admin_update_sock);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (fd >= 0)
			close(fd);
		c->close_after = c->close_after || len > 0;
		if (len)
			c->body = B_STOPPED;
		resp_text(c, 503, "Retry-After: 5\r\n", "the update service is not running\n");
		return;
	}
	c->up_fd = fd;
	c->up_line_len = 0;
	c->up_hdr_len = (size_t)snprintf(c->up_hdr, sizeof(c->up_hdr), "PUT %llu\n",
					 (unsigned long long)len);
	c->up_hdr_off = 0;
	c->body = B_UPDATE;
	c->body_left = len;
	c->deadline = now_ms + ADMIN_IO_TIMEOUT_MS;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		update_reply(c, 500, "epoll", 5);
}

/* Read the update role's answer line, if it has sent one. 1 when done. */
static int update_read_reply(struct conn *c)
{
	ssize_t n;
	size_t i;
	int code;

	for (;;) {
		n = read(c->up_fd, c->up_line + c->up_line_len, sizeof(c->up_line) - 1 - c->up_line_len);
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n <= 0) {
			update_reply(c, 502, "the update service closed the connection without an answer",
				     59);
			return 1;
		}
		c->up_line_len += (size_t)n;
		for (i = 0; i < c->up_line_len && c->up_line[i] != '\n'; i++)
			;
		if (i == c->up_line_len && c->up_line_len < sizeof(c->up_line) - 1)
			continue;
		/* "<3-digit status> <message>" */
		if (i < 4 || c->up_line[3] != ' ' || c->up_line[0] < '1' || c->up_line[0] > '5' ||
		    c->up_line[1] < '0' || c->up_line[1] > '9' || c->up_line[2] < '0' || c->up_line[2] > '9') {
			update_reply(c, 502, "a malformed answer from the update service", 42);
			return 1;
		}
		code = (c->up_line[0] - '0') * 100 + (c->up_line[1] - '0') * 10 + (c->up_line[2] - '0');
		if (code < 200)
			code = 502;
		update_reply(c, code, c->up_line + 4, i - 4);
		return 1;
	}
}

/* Move body bytes from the TLS engine to the update socket. */
static void update_pump(struct conn *c)
{
	br_ssl_engine_context *eng = &c->sc.eng;
	unsigned char *buf;
	size_t len;
	ssize_t n;

	if (c->body != B_UPDATE || c->up_fd < 0)
		return;
	while (c->up_hdr_off < c->up_hdr_len) {
		n = send(c->up_fd, c->up_hdr + c->up_hdr_off, c->up_hdr_len - c->up_hdr_off, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN) {
				up_set_events(c, 1);
				return;
			}
			update_read_reply(c);
			if (c->up_fd >= 0)
				update_reply(c, 502, "the update service went away", 28);
			return;
		}
		c->up_hdr_off += (size_t)n;
	}
	while (c->body_left && (br_ssl_engine_current_state(eng) & BR_SSL_RECVAPP)) {
		buf = br_ssl_engine_recvapp_buf(eng, &len);
		if (len > c->body_left)
			len = (size_t)c->body_left;
		n = send(c->up_fd, buf, len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN) {
				up_set_events(c, 1);
				return;
			}
			/* It may have answered early (a bad header): relay that. */
			if (!update_read_reply(c))
				update_reply(c, 502, "the update service went away", 28);
			return;
		}
		br_ssl_engine_recvapp_ack(eng, (size_t)n);
		c->body_left -= (uint64_t)n;
		c->deadline = now_ms + ADMIN_IO_TIMEOUT_MS;
	}
	up_set_events(c, 0);	/* the engine has nothing more for it now */
	if (!c->body_left)
		c->deadline = now_ms + ADMIN_UPDATE_REPLY_MS;
}

static void update_on_event(struct conn *c, uint32_t events)
{
	if (c->state != C_OPEN || c->up_fd < 0)
		return;
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
		if (update_read_reply(c))
			return;
	}
	if (events & EPOLLOUT)
		update_pump(c);
}

/* ---- routing -------------------------------------------------------------- */

/* Cross-site request forgery (docs/admin.md): a browser sends Origin
 * with every POST and PUT, and Sec-Fetch-Site; a request that changes
 * something must come from our own page (same scheme, host and port as
 * the Host it was sent to), or from a client that is not a browser. */
static int csrf_ok(const char *head, size_t hlen)
{
	const char *origin, *host, *site;
	size_t olen = 0, hl = 0, sl = 0;

	origin = http_field(head, hlen, "Origin", &olen);
	host = http_field(head, hlen, "Host", &hl);
	site = http_field(head, hlen, "Sec-Fetch-Site", &sl);
	return http_same_origin(origin, olen, host, hl, site, sl);
}

static int name_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 31)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_'))
			return 0;
	return 1;
}

/* Answer a POST: a form of our page gets sent back to the page (303, so
 * that it works without JavaScript), anything else a JSON or text reply. */
static void resp_action(struct conn *c, const char *head, size_t hlen, int code, const char *msg)
{
	const char *ct;
	size_t ctlen;
	struct out body;

	ct = http_field(head, hlen, "Content-Type", &ctlen);
	if (code == 200 && ct && ctlen >= 33 && str_ieq(ct, 33, "application/x-www-form-urlencoded")) {
		resp_text(c, 303, "Location: /\r\n", "%s\n", msg);
		return;
	}
	if (resp_begin(c, &body) < 0) {
		resp_text(c, 503, NULL, "busy\n");
		return;
	}
	out_str(&body, code == 200 ? "{\"ok\":true,\"message\":" : "{\"ok\":false,\"error\":");
	out_json(&body, msg, strlen(msg));
	out_str(&body, "}\n");
	resp_finish(c, code, "application/json", NULL, &body, 0);
}

static void api_dispatch(struct conn *c, const struct http_request *r, const char *head, size_t hlen)
{
	static char ctl[API_LOG_MAX];
	const char *t = r->target, *name = NULL;
	size_t tlen = r->target_len, nlen = 0;
	int get = r->method_id == HTTP_METHOD_GET || r->method_id == HTTP_METHOD_HEAD;
	int head_only = r->method_id == HTTP_METHOD_HEAD;
	int post = str_eq(r->method, r->method_len, "POST");
	int put = str_eq(r->method, r->method_len, "PUT");
	const char *allow = "Allow: GET, HEAD\r\n";
	struct out body;
	ssize_t n;
	size_t i;

	for (i = 0; i < tlen && t[i] != '?'; i++)
		;
	tlen = i;
	if (tlen > 14 && memcmp(t, "/api/services/", 14) == 0) {
		name = t + 14;
		for (nlen = 0; 14 + nlen < tlen && name[nlen] != '/'; nlen++)
			;
		if (!name_ok(name, nlen)) {
			resp_text(c, 404, NULL, "no such service\n");
			return;
		}
		t = name + nlen;
		tlen = tlen - 14 - nlen;
	}
	if (name && str_eq(t, tlen, "/log")) {
		char req[48];

		if (!get)
			goto not_allowed;
		snprintf(req, sizeof(req), "log %.*s", (int)nlen, name);
		n = admin_control(req, ctl, sizeof(ctl));
		if (n < 0) {
			resp_text(c, strcmp(ctl, "no such service") == 0 ? 404 : 503, NULL, "%s\n", ctl);
			return;
		}
		if (resp_begin(c, &body) < 0)
			goto busy;
		out_mem(&body, ctl, (size_t)n);
		resp_finish(c, 200, "text/plain; charset=utf-8", NULL, &body, head_only);
		return;
	}
	if ((name && str_eq(t, tlen, "/restart")) || (!name && (str_eq(t, tlen, "/api/reboot") ||
								 str_eq(t, tlen, "/api/poweroff")))) {
		char req[48];

		allow = "Allow: POST\r\n";
		if (!post)
			goto not_allowed;
		if (!csrf_ok(head, hlen)) {
			resp_text(c, 403, NULL, "cross-site request refused\n");
			return;
		}
		if (name)
			snprintf(req, sizeof(req), "restart %.*s", (int)nlen, name);
		else
			snprintf(req, sizeof(req), "%.*s", (int)tlen - 5, t + 5);
		n = admin_control(req, ctl, sizeof(ctl));
		if (n < 0)
			resp_action(c, head, hlen, strcmp(ctl, "no such service") == 0 ? 404 :
					strncmp(ctl, "busy", 4) == 0 ? 409 : 503, ctl);
		else
			resp_action(c, head, hlen, 200, name ? "restarting" :
				    t[5] == 'r' ? "rebooting" : "powering off");
		return;
	}
	if (name) {
		resp_text(c, 404, NULL, "not found\n");
		return;
	}
	if (str_eq(t, tlen, "/api/update")) {
		allow = "Allow: PUT\r\n";
		if (!put)
			goto not_allowed;
		if (!csrf_ok(head, hlen)) {
			c->close_after = 1;
			c->body = B_STOPPED;
			resp_text(c, 403, NULL, "cross-site request refused\n");
			return;
		}
		if (!r->has_content_length) {
			c->close_after = 1;
			c->body = B_STOPPED;
			resp_text(c, 411, NULL, "a Content-Length is required\n");
			return;
		}
		update_start(c, r->content_length);
		return;
	}
	if (str_eq(t, tlen, "/") || str_eq(t, tlen, "/api/status") || str_eq(t, tlen, "/metrics")) {
		if (!get)
			goto not_allowed;
		if (resp_begin(c, &body) < 0)
			goto busy;
		if (tlen == 1) {
			api_page(&body);
			resp_finish(c, 200, "text/html; charset=utf-8", NULL, &body, head_only);
		} else if (t[1] == 'a') {
			api_status(&body);
			resp_finish(c, 200, "application/json", NULL, &body, head_only);
		} else {
			api_metrics(&body);
			resp_finish(c, 200, "text/plain; version=0.0.4; charset=utf-8", NULL, &body,
				    head_only);
		}
		return;
	}
	resp_text(c, 404, NULL, "not found\n");
	return;
not_allowed:
	if (r->has_content_length && r->content_length) {
		c->close_after = 1;
		c->body = B_STOPPED;
	}
	resp_text(c, 405, allow, "method not allowed\n");
	return;
busy:
	resp_set_busy(c);
}

/* ---- the TLS engine's I/O -------------------------------------------------- */

static void conn_run(struct conn *c)
{
	br_ssl_engine_context *eng = &c->sc.eng;
	unsigned char *buf;
	size_t len;
	ssize_t n;
	unsigned st;
	int progress;

	if (c->shut) {
		/* Our side is done: what the peer still sends (the rest of a
		 * body, its close_notify) is read and dropped until it closes
		 * or ADMIN_CLOSE_MS, so that closing with unread bytes (a
		 * reset) cannot destroy the answer on its way. */
		while ((n = recv(c->fd, c->req, sizeof(c->req), 0)) > 0)
			;
		if (n == 0 || errno != EAGAIN)
			conn_close(c);
		return;
	}
	for (;;) {
		st = br_ssl_engine_current_state(eng);
		if (st & BR_SSL_CLOSED) {
			conn_close(c);
			return;
		}
		progress = 0;
		if (st & BR_SSL_SENDREC) {
			buf = br_ssl_engine_sendrec_buf(eng, &len);
			n = send(c->fd, buf, len, MSG_NOSIGNAL);
			if (n > 0) {
				br_ssl_engine_sendrec_ack(eng, (size_t)n);
				progress = 1;
				if (c->resp || c->closing)
					c->deadline = now_ms + ADMIN_IO_TIMEOUT_MS;
			} else if (!(n < 0 && errno == EAGAIN)) {
				conn_close(c);
				return;
			}
		}
		if (st & BR_SSL_RECVAPP) {
			if (c->body == B_UPDATE) {
				size_t before = (size_t)c->body_left;

				update_pump(c);
				if (c->state != C_OPEN)
					return;
				progress |= (size_t)c->body_left != before || c->body != B_UPDATE;
			} else {
				buf = br_ssl_engine_recvapp_buf(eng, &len);
				if ((n = (ssize_t)conn_take(c, buf, len)) > 0) {
					br_ssl_engine_recvapp_ack(eng, (size_t)n);
					progress = 1;
				}
			}
		}
		if ((st & BR_SSL_SENDAPP) && (c->interim || c->resp)) {
			static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
			const char *src = c->interim ? cont : c->resp;
			size_t left = c->interim ? sizeof(cont) - 1 : c->resp_len;

			buf = br_ssl_engine_sendapp_buf(eng, &len);
			if (len > left)
				len = left;
			memcpy(buf, src, len);
			br_ssl_engine_sendapp_ack(eng, len);
			progress = 1;
			if (c->interim) {
				if (len == left)	/* it fits: the engine holds 4 KiB */
					c->interim = 0;
				br_ssl_engine_flush(eng, 0);
			} else {
				c->resp += len;
				c->resp_len -= len;
				if (!c->resp_len) {
					br_ssl_engine_flush(eng, 0);
					resp_release(c);
					if (c->close_after || c->body == B_STOPPED)
						conn_closing(c);
					else if (c->body == B_NONE)
						conn_next_request(c);
				}
			}
		}
		if (st & BR_SSL_RECVREC) {
			buf = br_ssl_engine_recvrec_buf(eng, &len);
			n = recv(c->fd, buf, len, 0);
			if (n > 0) {
				br_ssl_engine_recvrec_ack(eng, (size_t)n);
				progress = 1;
			} else if (n == 0 || errno != EAGAIN) {
				conn_close(c);	/* gone: an upload in flight is dropped */
				return;
			}
		}
		if (!progress)
			break;
	}
	st = br_ssl_engine_current_state(eng);
	if (c->closing && !(st & BR_SSL_SENDREC) && !c->shut) {
		/* Our close_notify is out: the peer's is not waited for long. */
		shutdown(c->fd, SHUT_WR);
		c->shut = 1;
		c->deadline = now_ms + ADMIN_CLOSE_MS;
		conn_set_events(c, EPOLLIN);
		conn_run(c);	/* what has come already */
		return;
	}
	conn_set_events(c, (st & BR_SSL_RECVREC ? EPOLLIN : 0) | (st & BR_SSL_SENDREC ? EPOLLOUT : 0));
}

/* How a connection may give up its slot: 3 done (its last record and
 * close_notify are out), 2 handshaking or idle between requests, 1 still
 * sending its request head, 0 never (its request is being answered or
 * its body taken). */
static int conn_rank(const struct conn *c)
{
	if (c->state != C_OPEN)
		return 0;
	if (c->shut)
		return 3;
	if (c->resp || c->interim || c->closing)
		return 0;
	if (!c->busy)
		return 2;
	return c->body == B_NONE && c->req_len ? 1 : 0;
}

/* The connection to give up for a new one from ADDR: while ADDR holds
 * ADMIN_MAX_CONNS_PER_ADDR, one of its own (any age: it is over its
 * cap), or none; else, with the pool full, the best ranked, oldest
 * first, of those done or older than ADMIN_EVICT_MIN_AGE_MS. NULL with
 * *REFUSE set: close the new one. */
static struct conn *conn_evict(const unsigned char *addr, int *refuse)
{
	struct conn *best = NULL;
	unsigned i, same = 0;
	int rank, best_rank = 0;

	*refuse = 0;
	for (i = 0; i < ADMIN_MAX_CONNS; i++)
		if (conns[i].state == C_OPEN && memcmp(conns[i].addr, addr, 16) == 0)
			same++;
	for (i = 0; i < ADMIN_MAX_CONNS; i++) {
		struct conn *c = &conns[i];

		if (same >= ADMIN_MAX_CONNS_PER_ADDR && memcmp(c->addr, addr, 16) != 0)
			continue;
		rank = conn_rank(c);
		if (rank < 3 && same < ADMIN_MAX_CONNS_PER_ADDR &&
		    now_ms - c->accepted_ms < ADMIN_EVICT_MIN_AGE_MS)
			continue;
		if (rank > best_rank || (rank && rank == best_rank && c->accepted_ms < best->accepted_ms)) {
			best = c;
			best_rank = rank;
		}
	}
	if (same >= ADMIN_MAX_CONNS_PER_ADDR || nconns == ADMIN_MAX_CONNS) {
		*refuse = !best;
		return best;
	}
	return NULL;
}

static void conn_accept(void)
{
	struct epoll_event ev = { .events = EPOLLIN };
	unsigned char seed[32];
	unsigned char addr[16];
	struct conn *c;
	unsigned i;
	int fd, one = 1, refuse;

	while ((fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		if (conn_addr(fd, addr) < 0) {
			close(fd);	/* gone already */
			continue;
		}
		c = conn_evict(addr, &refuse);
		if (refuse) {
			close(fd);
			continue;
		}
		if (c)
			conn_close(c);
		for (i = 0; conns[i].state != C_FREE; i++)
			;
		c = &conns[i];
		memcpy(c->addr, addr, 16);
		c->fd = fd;
		c->state = C_OPEN;
		c->busy = c->close_after = c->interim = c->up_out = 0;
		c->head_only = c->closing = c->shut = 0;
		c->events = EPOLLIN;
		c->body = B_NONE;
		c->req_len = 0;
		c->resp = NULL;
		c->resp_buf = -1;
		c->up_fd = -1;
		c->accepted_ms = now_ms;
		c->deadline = now_ms + ADMIN_HEAD_TIMEOUT_MS;
		nconns++;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));

		br_ssl_server_zero(&c->sc);
		br_ssl_engine_add_flags(&c->sc.eng, BR_OPT_NO_RENEGOTIATION);
		br_ssl_engine_set_versions(&c->sc.eng, BR_TLS12, BR_TLS12);
		br_ssl_engine_set_suites(&c->sc.eng, admin_suites,
					 sizeof(admin_suites) / sizeof(admin_suites[0]));
		br_ssl_engine_set_ec(&c->sc.eng, &br_ec_p256_m31);
		br_ssl_server_set_single_ec(&c->sc, &cert_chain, 1, &ec_key, BR_KEYTYPE_SIGN,
					    BR_KEYTYPE_EC, &br_ec_p256_m31,
					    br_ecdsa_sign_asn1_get_default());
		br_ssl_engine_set_hash(&c->sc.eng, br_sha256_ID, &br_sha256_vtable);
		br_ssl_engine_set_hash(&c->sc.eng, br_sha384_ID, &br_sha384_vtable);
		br_ssl_engine_set_prf_sha256(&c->sc.eng, &br_tls12_sha256_prf);
		br_ssl_engine_set_prf_sha384(&c->sc.eng, &br_tls12_sha384_prf);
		br_ssl_engine_set_default_aes_gcm(&c->sc.eng);
		br_ssl_engine_set_default_chapol(&c->sc.eng);
		br_ssl_engine_set_buffers_bidi(&c->sc.eng, c->ibuf, sizeof(c->ibuf), c->obuf,
					       sizeof(c->obuf));
		if (getrandom(seed, sizeof(seed), 0) == (ssize_t)sizeof(seed))
			br_ssl_engine_inject_entropy(&c->sc.eng, seed, sizeof(seed));
		if (!br_ssl_server_reset(&c->sc)) {
			conn_close(c);
			continue;
		}
		ev.data.u32 = i;
		if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
			conn_close(c);
			continue;
		}
	}
}

static void conn_expire(void)
{
	unsigned i;

	for (i = 0; i < ADMIN_MAX_CONNS; i++) {
		struct conn *c = &conns[i];

		if (c->state != C_OPEN || c->deadline > now_ms)
			continue;
		if (c->body == B_UPDATE && c->up_fd >= 0 && !c->body_left) {
			update_reply(c, 504, "no answer from the update service in time", 41);
			conn_run(c);
			continue;
		}
		conn_close(c);
	}
}

/* ---- set-up ------------------------------------------------------------ */

static ssize_t read_file(const char *dir, const char *name, void *buf, size_t len)
{
	char path[512];
	ssize_t n, got = 0;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		log_warn("admin: %s", path);
		return -1;
	}
	while ((size_t)got < len && (n = read(fd, (char *)buf + got, len - (size_t)got)) > 0)
		got += n;
	close(fd);
	if ((size_t)got == len) {
		log_warnx("admin: %s: larger than %zu bytes", path, len - 1);
		return -1;
	}
	return got;
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/* cert.der (X.509, DER), key.der (EC P-256, DER), password.hash
 * ("SALT HASH\n", hex; HASH = SHA-256 of "SALT:password"). */
static int load_keys(const char *dir)
{
	static unsigned char kbuf[ADMIN_KEY_MAX];
	br_skey_decoder_context dc;
	const br_ec_private_key *k;
	char line[200];
	ssize_t n;
	size_t i, sl;

	n = read_file(dir, "cert.der", cert_der, sizeof(cert_der));
	if (n <= 0)
		return -1;
	cert_chain.data = cert_der;
	cert_chain.data_len = (size_t)n;
	n = read_file(dir, "key.der", kbuf, sizeof(kbuf));
	if (n <= 0)
		return -1;
	br_skey_decoder_init(&dc);
	br_skey_decoder_push(&dc, kbuf, (size_t)n);
	if (br_skey_decoder_last_error(&dc) || br_skey_decoder_key_type(&dc) != BR_KEYTYPE_EC ||
	    !(k = br_skey_decoder_get_ec(&dc)) || k->curve != BR_EC_secp256r1 ||
	    k->xlen > sizeof(key_x)) {
		log_warnx("admin: %s/key.der: not an EC P-256 private key (DER)", dir);
		return -1;
	}
	memcpy(key_x, k->x, k->xlen);
	ec_key.curve = k->curve;
	ec_key.x = key_x;
	ec_key.xlen = k->xlen;
	memset(kbuf, 0, sizeof(kbuf));
	memset(&dc, 0, sizeof(dc));

	n = read_file(dir, "password.hash", line, sizeof(line));
	if (n <= 0)
		return -1;
	line[n] = '\0';
	for (sl = 0; sl < (size_t)n && line[sl] != ' '; sl++)
		if (hexval(line[sl]) < 0)
			goto bad;
	if (sl == 0 || sl >= sizeof(auth_salt) || (size_t)n < sl + 1 + 64)
		goto bad;
	memcpy(auth_salt, line, sl);
	auth_salt[sl] = '\0';
	for (i = 0; i < 32; i++) {
		int hi = hexval(line[sl + 1 + 2 * i]), lo = hexval(line[sl + 2 + 2 * i]);

		if (hi < 0 || lo < 0)
			goto bad;
		auth_hash[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
bad:
	log_warnx("admin: %s/password.hash: not 'SALT SHA256' in hex", dir);
	return -1;
}

static int admin_listen(int port)
{
	struct sockaddr_in6 sa6 = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port),
				    .sin6_addr = IN6ADDR_ANY_INIT };
	struct sockaddr_in sa4 = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd, one = 1, zero = 0;

	fd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd >= 0) {
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
		if (bind(fd, (struct sockaddr *)&sa6, sizeof(sa6)) == 0)
			goto bound;
		close(fd);
	}
	/* No IPv6 in this kernel or namespace: IPv4 alone. */
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa4, sizeof(sa4)) < 0) {
		close(fd);
		return -1;
	}
bound:
	if (listen(fd, ADMIN_BACKLOG) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int parse_int(const char *s, int min, int max, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

/* SIGTERM: answers being sent (the one to "power off", say) get
 * ADMIN_STOP_MS to go out; then exit. */
#define ADMIN_STOP_MS 1000
static volatile sig_atomic_t admin_stop;

static void admin_on_term(int sig)
{
	(void)sig;
	admin_stop = 1;
}

static int admin_sending(void)
{
	unsigned i;

	for (i = 0; i < ADMIN_MAX_CONNS; i++)
		if (conns[i].state == C_OPEN && (conns[i].resp ||
		    (br_ssl_engine_current_state(&conns[i].sc.eng) & BR_SSL_SENDREC)))
			return 1;
	return 0;
}

unsigned long admin_requests_served(void)
{
	return admin_requests;
}

int admin_main(int argc, char **argv)
{
	struct epoll_event evs[ADMIN_MAX_EVENTS];
	const char *dir = ADMIN_DIR;
	int port = ADMIN_PORT, ready_fd = -1, i, n, cfd = ADMIN_CONTROL_FD, type;
	socklen_t tl = sizeof(type);
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = EV_LISTEN };
	int64_t next_sweep, stop_at = 0;
	struct sigaction sa = { .sa_handler = admin_on_term };

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			goto usage;
		if (strcmp(a, "--port") == 0 && parse_int(v, 1, 65535, &port) == 0)
			;
		else if (strcmp(a, "--dir") == 0)
			dir = v;
		else if (strcmp(a, "--ready-fd") == 0 && parse_int(v, 0, 1023, &ready_fd) == 0)
			;
		else if (strcmp(a, "--control-fd") == 0 && parse_int(v, -1, 1023, &cfd) == 0)
			;
		else if (strcmp(a, "--update-sock") == 0)
			admin_update_sock = v;
		else if (strcmp(a, "--update-status") == 0)
			admin_update_status = v;
		else if (strcmp(a, "--data") == 0)
			admin_data_dir = v;
		else if (strcmp(a, "--httpd-status") == 0)
			admin_httpd_status = v;
		else
			goto usage;
		i++;
	}
	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGTERM, &sa, NULL);
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	/* The control channel: a SOCK_SEQPACKET socket PID 1 gave us. */
	if (cfd >= 0 && getsockopt(cfd, SOL_SOCKET, SO_TYPE, &type, &tl) == 0 && type == SOCK_SEQPACKET) {
		control_fd = cfd;
		fcntl(cfd, F_SETFD, FD_CLOEXEC);
	} else {
		log_warnx("admin: no control channel on fd %d: status only from /proc, no actions", cfd);
	}
	if (load_keys(dir) < 0)
		return 1;
	listen_fd = admin_listen(port);
	if (listen_fd < 0) {
		log_warn("admin: listen on port %d", port);
		return 1;
	}
	conns = mmap(NULL, sizeof(*conns) * ADMIN_MAX_CONNS, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	resp_bufs = mmap(NULL, (size_t)ADMIN_RESP_BUFS * ADMIN_RESP_MAX, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (conns == MAP_FAILED || resp_bufs == MAP_FAILED) {
		log_warn("admin: memory");
		return 1;
	}
	for (i = 0; i < ADMIN_MAX_CONNS; i++) {
		conns[i].state = C_FREE;
		conns[i].fd = conns[i].up_fd = conns[i].resp_buf = -1;
	}
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, listen_fd, &ev) < 0) {
		log_warn("admin: epoll");
		return 1;
	}
	log_info("admin: HTTPS on port %d (TLS 1.2, ECDHE-ECDSA AEAD), at most %d connections",
		 port, ADMIN_MAX_CONNS);
	if (ready_fd >= 0) {
		(void)!write(ready_fd, "1", 1);
		close(ready_fd);
	}
	now_ms = mono_ms();
	next_sweep = now_ms + 1000;
	for (;;) {
		n = epoll_wait(epfd, evs, ADMIN_MAX_EVENTS, admin_stop ? 50 : 1000);
		now_ms = mono_ms();
		if (admin_stop) {
			if (!stop_at) {
				stop_at = now_ms + ADMIN_STOP_MS;
				epoll_ctl(epfd, EPOLL_CTL_DEL, listen_fd, NULL);
			}
			if (now_ms >= stop_at || !admin_sending()) {
				log_info("admin: stopped");
				return 0;
			}
		}
		for (i = 0; i < n; i++) {
			uint32_t tag = evs[i].data.u32;

			if (tag == EV_LISTEN) {
				conn_accept();
			} else if (tag & EV_UPDATE) {
				struct conn *c = &conns[tag & ~EV_UPDATE];

				update_on_event(c, evs[i].events);
				if (c->state == C_OPEN)
					conn_run(c);
			} else if (tag < ADMIN_MAX_CONNS && conns[tag].state == C_OPEN) {
				struct conn *c = &conns[tag];

				conn_run(c);
				/* Hung up or reset, and the engine reads no more:
				 * nothing can reach the client (and epoll would
				 * report it for ever). */
				if (c->state == C_OPEN && (evs[i].events & (EPOLLHUP | EPOLLERR)) &&
				    !(c->events & EPOLLIN))
					conn_close(c);
			}
		}
		if (now_ms >= next_sweep) {
			conn_expire();
			next_sweep = now_ms + 1000;
		}
	}
usage:
	dprintf(STDERR_FILENO, "usage: init admin [--port N] [--dir DIR] [--control-fd FD] "
		"[--ready-fd FD] [--update-sock PATH] [--update-status PATH] [--data DIR] "
		"[--httpd-status PATH]\n");
	return 2;
}
