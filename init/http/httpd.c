/* httpd.c - the built-in HTTP server: "Hello, World!" on GET /.
 *
 * Design (docs/httpd.md has the numbers and why):
 * - One process per worker, each with its own epoll loop and its own
 *   SO_REUSEPORT listening socket, so the kernel spreads connections and
 *   workers share nothing. Sockets are bound before privileges are dropped.
 *   Each is one dual-stack socket: IPv6, and IPv4 as mapped addresses.
 * - Fixed memory: a pool of connections, each with a read buffer that holds
 *   one request head (HTTP_MAX_HEAD) and an output buffer for a few
 *   responses, all mapped once at start. When the pool is full the oldest
 *   idle keep-alive connection is closed to make room, else the new one is.
 * - Edge-triggered epoll: each connection is registered once for input
 *   (output is added after a short send); a handler runs until the socket
 *   would block, or until the connection has used its turn's budget
 *   (HTTPD_TURN_REQUESTS, HTTPD_TURN_BYTES), so that one client filling
 *   the pipe with pipelined requests cannot keep the worker to itself.
 *   A connection that stops with work left is put on the ready list, as
 *   no new edge will come for bytes already there; the loop gives every
 *   connection on it another turn after each batch of events, and polls
 *   epoll without waiting while the list is not empty.
 * - Timeouts without a timer heap: every deadline in a list has the same
 *   length, so appending on each refresh keeps the list sorted and expiry
 *   looks only at its head. A connection's deadline is refreshed when it is
 *   accepted and when output makes progress, never by input: a client must
 *   send a whole request within HTTPD_TIMEOUT_MS of the previous response,
 *   however it trickles the bytes in.
 * - Responses are built into the output buffer and sent with one send(2)
 *   per batch, so pipelined requests cost one write for several answers. */
#include "pure/http_parse.h"
#include "lib/log.h"
#include "lib/roles.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HTTPD_DEFAULT_PORT	8080
#define HTTPD_MAX_CONNS		4096	/* in all workers together */
#define HTTPD_RBUF_SIZE		HTTP_MAX_HEAD
#define HTTPD_OBUF_SIZE		1024
/* Longest response httpd_put_response() builds (about 240 bytes). */
#define HTTPD_MAX_RESPONSE	320
#define HTTPD_MAX_BODY		(64 * 1024)	/* request bodies are skipped */
#define HTTPD_TIMEOUT_MS	10000	/* idle, request and send timeout */
#define HTTPD_LINGER_MS		2000	/* reading after an error response */
#define HTTPD_STOP_MS		4000	/* SIGTERM grace; supervisor gives 5 s */
#define HTTPD_MAX_EVENTS	256
/* One turn of a connection (one event, or one pass over the ready list)
 * answers at most this many requests and reads at most this many bytes
 * (eight read buffers); then the others get theirs. 32 answers take five
 * sends or more, so the cost of yielding (one more epoll_wait) is small
 * beside the turn's work. */
#define HTTPD_TURN_REQUESTS	32
#define HTTPD_TURN_BYTES	(8 * HTTPD_RBUF_SIZE)
#define HTTPD_ACCEPT_BATCH	64
#define HTTPD_BACKLOG		4096
#define HTTPD_MAX_WORKERS	64
#define HTTPD_FD_RESERVE	16	/* listener, epoll, signalfd, stdio */
#define HTTPD_NOBODY		65534
#define HTTPD_STATUS_MS		1000	/* --status: rewritten at most this often */

/* Event tags above any connection index. */
#define HTTPD_EV_LISTEN		0xfffffffeu
#define HTTPD_EV_SIGNAL		0xfffffffdu

enum { C_FREE, C_OPEN, C_LINGER };
enum { BODY_NONE, BODY_LENGTH, BODY_CHUNKED };
enum { TL_MAIN, TL_LINGER, TL_COUNT };

struct conn {
	int fd;
	uint16_t rstart, rlen;		/* unparsed bytes: rbuf[rstart..rlen) */
	uint16_t ooff, olen;		/* unsent bytes: obuf[ooff..olen) */
	unsigned char state;
	unsigned char readable;		/* no EAGAIN or short read since edge */
	unsigned char eof;
	unsigned char close_after;	/* close once obuf is sent */
	unsigned char linger;		/* ... and read until EOF first */
	unsigned char body;		/* BODY_* being skipped */
	unsigned char tl;		/* timer list it is on */
	unsigned char registered;	/* added to epoll */
	unsigned char want_out;		/* registered for EPOLLOUT too */
	unsigned char queued;		/* on the ready list */
	uint64_t body_left;
	struct http_chunked chunk;
	int64_t deadline;
	struct conn *prev, *next;	/* timer list, or free list (next) */
	struct conn *ready_next;	/* ready list */
	char *rbuf, *obuf;
};

struct tlist {
	struct conn *head, *tail;
	int ms;
};

static struct conn *conns, *free_conns;
static unsigned nconns, pool_size;
static struct tlist tlists[TL_COUNT] = {
	{ NULL, NULL, HTTPD_TIMEOUT_MS },
	{ NULL, NULL, HTTPD_LINGER_MS },
};
/* Connections that used their budget with work left, in FIFO order. A
 * connection closed while queued stays queued (and is skipped, or given a
 * spare turn if it is reused meanwhile): no unlinking from the middle. */
static struct conn *ready_head, *ready_tail;
static int epfd = -1, listen_fd = -1, sig_fd = -1;
static int stopping;
static int64_t now_ms, stop_deadline;
/* Requests answered, one counter per worker in a page the workers share
 * (each writes only its own); worker 0 writes the sum to --status for
 * the admin API's metrics: "requests=N\n". */
static uint64_t *req_counts;
static int worker_index;
static const char *status_path;
static uint64_t status_written = UINT64_MAX;
static int64_t status_next;

/* ---- time --------------------------------------------------------------- */

static int64_t httpd_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* RFC 9110 5.6.7 IMF-fixdate, rebuilt at most once per second. */
static char date_line[] = "Date: Thu, 01 Jan 1970 00:00:00 GMT\r\n";
static time_t date_time = -1;

static void put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

static void httpd_update_date(void)
{
	static const char days[] = "ThuFriSatSunMonTueWed";	/* from 1970-01-01 */
	static const char months[] = "MarAprMayJunJulAugSepOctNovDecJanFeb";
	time_t t = time(NULL);
	unsigned long d, era, doe, yoe, doy, mp, y;

	if (t == date_time || t < 0)
		return;
	date_time = t;
	d = (unsigned long)t / 86400;
	put2(date_line + 23, (int)((unsigned long)t % 86400 / 3600));
	put2(date_line + 26, (int)((unsigned long)t % 3600 / 60));
	put2(date_line + 29, (int)((unsigned long)t % 60));
	memcpy(date_line + 6, days + 3 * (d % 7), 3);
	/* Civil date from days since 1970 in the proleptic Gregorian
	 * calendar, years starting in March (H. Hinnant, civil_from_days). */
	d += 719468;
	era = d / 146097;
	doe = d - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	y = yoe + era * 400 + (mp >= 10);
	put2(date_line + 11, (int)(doy - (153 * mp + 2) / 5 + 1));
	memcpy(date_line + 14, months + 3 * mp, 3);
	put2(date_line + 18, (int)(y / 100));
	put2(date_line + 20, (int)y);
}

/* ---- timer lists ------------------------------------------------------- */

static void tl_remove(struct conn *c)
{
	struct tlist *l = &tlists[c->tl];

	if (c->prev)
		c->prev->next = c->next;
	else
		l->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		l->tail = c->prev;
	c->prev = c->next = NULL;
}

/* Deadline = now + the list's timeout; appending keeps the list sorted. */
static void tl_append(struct conn *c, unsigned tl)
{
	struct tlist *l = &tlists[tl];

	c->tl = (unsigned char)tl;
	c->deadline = now_ms + l->ms;
	c->next = NULL;
	c->prev = l->tail;
	if (l->tail)
		l->tail->next = c;
	else
		l->head = c;
	l->tail = c;
}

static void httpd_touch(struct conn *c, unsigned tl)
{
	tl_remove(c);
	tl_append(c, tl);
}

/* ---- responses --------------------------------------------------------- */

static const struct httpd_status {
	short code;
	const char *text;	/* status line after the code, and the body */
} httpd_statuses[] = {
	{ 200, "OK" },
	{ 400, "Bad Request" },
	{ 404, "Not Found" },
	{ 405, "Method Not Allowed" },
	{ 408, "Request Timeout" },
	{ 411, "Length Required" },
	{ 413, "Content Too Large" },		/* RFC 9110 15.5.14 */
	{ 414, "URI Too Long" },
	{ 431, "Request Header Fields Too Large" },	/* RFC 6585 5 */
	{ 501, "Not Implemented" },
	{ 505, "HTTP Version Not Supported" },
};

static const char hello_body[] = "Hello, World!\n";

static char *put_str(char *o, const char *s)
{
	size_t n = strlen(s);

	memcpy(o, s, n);
	return o + n;
}

static char *put_uint(char *o, unsigned v)
{
	char tmp[10];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n > 0)
		*o++ = tmp[--n];
	return o;
}

/* Append a whole response to c->obuf; the caller made sure that
 * HTTPD_MAX_RESPONSE bytes are free. */
static void httpd_put_response(struct conn *c, int code, int head_only,
			       int keep_alive, int minor_version)
{
	const struct httpd_status *st = &httpd_statuses[0];
	char *start = c->obuf + c->olen, *o = start;
	const char *body;
	size_t blen, i;

	for (i = 0; i < sizeof(httpd_statuses) / sizeof(httpd_statuses[0]); i++)
		if (httpd_statuses[i].code == code)
			st = &httpd_statuses[i];
	o = put_str(o, "HTTP/1.1 ");
	o = put_uint(o, (unsigned)st->code);
	*o++ = ' ';
	o = put_str(o, st->text);
	o = put_str(o, "\r\nServer: minilinux\r\n");
	memcpy(o, date_line, sizeof(date_line) - 1);
	o += sizeof(date_line) - 1;
	o = put_str(o, "Content-Type: text/plain\r\nContent-Length: ");
	if (st->code == 200) {
		body = hello_body;
		blen = sizeof(hello_body) - 1;
	} else {
		body = st->text;
		blen = strlen(body) + 1;	/* and a newline */
	}
	o = put_uint(o, (unsigned)blen);
	o = put_str(o, "\r\n");
	if (st->code == 405)
		o = put_str(o, "Allow: GET, HEAD\r\n");	/* RFC 9110 15.5.6 */
	if (!keep_alive)
		o = put_str(o, "Connection: close\r\n");
	else if (minor_version == 0)
		o = put_str(o, "Connection: keep-alive\r\n");
	o = put_str(o, "\r\n");
	if (!head_only) {
		memcpy(o, body, blen);
		o += blen;
		if (st->code != 200)
			o[-1] = '\n';
	}
	c->olen = (uint16_t)(c->olen + (o - start));
}

/* "/" or "/?query", in origin-form or absolute-form (RFC 9112 3.2). */
static int httpd_target_is_root(const char *t, size_t len)
{
	size_t i;

	if (len > 7 && (t[0] == 'h' || t[0] == 'H')) {
		for (i = 0; i + 2 < len; i++)
			if (t[i] == ':' && t[i + 1] == '/' && t[i + 2] == '/')
				break;
		if (i + 2 >= len)
			return 0;
		for (i += 3; i < len && t[i] != '/' && t[i] != '?'; i++)
			;
		if (i == len)
			return 1;	/* http://host means http://host/ */
		t += i;
		len -= i;
	}
	return len > 0 && t[0] == '/' && (len == 1 || t[1] == '?');
}

/* ---- connections ------------------------------------------------------- */

static void httpd_close(struct conn *c)
{
	tl_remove(c);
	close(c->fd);
	c->fd = -1;
	c->state = C_FREE;
	c->next = free_conns;
	free_conns = c;
	nconns--;
}

/* Done with a connection: close now, or after the client's last bytes if
 * it may still be sending, so that our response is not lost to a reset
 * (RFC 9112 9.6). */
static void httpd_finish(struct conn *c)
{
	if (!c->linger || c->eof || shutdown(c->fd, SHUT_WR) < 0) {
		httpd_close(c);
		return;
	}
	c->state = C_LINGER;
	httpd_touch(c, TL_LINGER);
}

static void httpd_ready_add(struct conn *c)
{
	if (c->queued)
		return;
	c->queued = 1;
	c->ready_next = NULL;
	if (ready_tail)
		ready_tail->ready_next = c;
	else
		ready_head = c;
	ready_tail = c;
}

/* Discard input until EOF; a client that keeps sending gets its turns
 * like any other until HTTPD_LINGER_MS is over. */
static void httpd_linger_read(struct conn *c)
{
	size_t got;
	ssize_t n;

	for (got = 0; got < HTTPD_TURN_BYTES; got += (size_t)n) {
		n = read(c->fd, c->rbuf, HTTPD_RBUF_SIZE);
		if (n < 0 && errno == EINTR)
			n = 0;
		else if (n < 0 && errno == EAGAIN)
			return;
		else if (n <= 0) {
			httpd_close(c);
			return;
		}
	}
	httpd_ready_add(c);
}

static void httpd_on_request(struct conn *c, const struct http_request *req)
{
	int keep_alive = req->keep_alive && !stopping;
	int code;

	if (req->method_id == HTTP_METHOD_OTHER)
		code = 405;
	else
		code = httpd_target_is_root(req->target, req->target_len) ? 200 : 404;

	/* The body means nothing to us: skip it, so that the next request
	 * on the connection starts where it should. */
	if (req->chunked) {
		c->body = BODY_CHUNKED;
		http_chunked_init(&c->chunk);
	} else if (req->content_length > HTTPD_MAX_BODY) {
		code = 413;
		keep_alive = 0;
	} else if (req->content_length > 0) {
		c->body = BODY_LENGTH;
		c->body_left = req->content_length;
	}
	/* RFC 9110 10.1.1: a client waiting for 100 Continue may not send
	 * the body at all once it has a final answer, so the body cannot be
	 * skipped reliably: answer and close. */
	if (c->body && req->expect_continue)
		keep_alive = 0;
	httpd_put_response(c, code, req->method_id == HTTP_METHOD_HEAD,
			   keep_alive, req->minor_version);
	if (req_counts)
		req_counts[worker_index]++;
	if (!keep_alive) {
		c->close_after = 1;
		c->linger = c->body || c->rlen > c->rstart || code >= 400;
	}
}

/* Skip body bytes already read. Returns 0 when the body is over, 1 when
 * more is needed, -1 when the connection must be dropped. */
static int httpd_skip_body(struct conn *c)
{
	size_t avail = (size_t)(c->rlen - c->rstart);
	long n;
	int done;

	if (c->body == BODY_LENGTH) {
		n = (long)(avail < c->body_left ? avail : c->body_left);
		c->body_left -= (uint64_t)n;
		done = c->body_left == 0;
	} else {
		n = http_chunked_skip(&c->chunk, c->rbuf + c->rstart, avail, &done);
		/* Past the limit the answer is already sent: just close. */
		if (n < 0 || c->chunk.total > HTTPD_MAX_BODY)
			return -1;
	}
	c->rstart = (uint16_t)(c->rstart + n);
	if (!done)
		return 1;
	c->body = BODY_NONE;
	return 0;
}

/* Register with epoll, for output too once a send has been short. Output
 * interest is added only then: with it on from the start, every send
 * would also raise an EPOLLOUT edge (a wakeup for nothing) when the
 * peer's ACK frees buffer space. */
static int httpd_epoll_set(struct conn *c)
{
	struct epoll_event ev;

	ev.events = EPOLLIN | EPOLLRDHUP | EPOLLET | (c->want_out ? EPOLLOUT : 0);
	ev.data.u32 = (uint32_t)(c - conns);
	if (epoll_ctl(epfd, c->registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, c->fd, &ev) < 0)
		return -1;
	c->registered = 1;
	return 0;
}

/* Send what obuf holds. Returns -1 if the connection is dead. */
static int httpd_flush(struct conn *c)
{
	ssize_t n;

	n = send(c->fd, c->obuf + c->ooff, (size_t)(c->olen - c->ooff), MSG_NOSIGNAL);
	if (n < 0 && errno != EAGAIN && errno != EINTR)
		return -1;
	if (n > 0) {
		c->ooff = (uint16_t)(c->ooff + n);
		if (c->ooff == c->olen)
			c->ooff = c->olen = 0;
		httpd_touch(c, TL_MAIN);
	}
	if (c->olen && !c->want_out) {
		c->want_out = 1;
		if (c->registered && httpd_epoll_set(c) < 0)
			return -1;
	}
	return 0;
}

/* Run a connection until it would block or its turn is over: parse what
 * is buffered, answer, send, read more. */
static void httpd_conn_run(struct conn *c)
{
	struct http_request req;
	ssize_t n;
	size_t room, got = 0;
	int r, need_input, answered = 0;

	for (;;) {
		need_input = 0;
		while (!c->close_after &&
		       c->olen + HTTPD_MAX_RESPONSE <= HTTPD_OBUF_SIZE) {
			if (c->rstart == c->rlen) {
				need_input = 1;
				break;
			}
			if (answered == HTTPD_TURN_REQUESTS)
				break;
			if (c->body) {
				r = httpd_skip_body(c);
				if (r < 0) {
					c->close_after = 1;
					c->linger = 1;
					break;
				}
				if (r > 0) {
					need_input = 1;
					break;
				}
				continue;
			}
			r = http_parse_request(c->rbuf + c->rstart,
					       (size_t)(c->rlen - c->rstart), &req);
			if (r == HTTP_PARSE_INCOMPLETE) {
				need_input = 1;
				break;
			}
			if (r == HTTP_PARSE_ERROR) {
				httpd_put_response(c, req.status, 0, 0, 1);
				c->close_after = 1;
				c->linger = 1;
				break;
			}
			c->rstart = (uint16_t)(c->rstart + r);
			httpd_on_request(c, &req);
			answered++;
		}
		if (c->rstart == c->rlen)
			c->rstart = c->rlen = 0;
		if (c->olen) {
			if (httpd_flush(c) < 0) {
				httpd_close(c);
				return;
			}
			if (c->olen)
				return;	/* EPOLLOUT comes when there is room */
		}
		if (c->close_after) {
			httpd_finish(c);
			return;
		}
		if (answered == HTTPD_TURN_REQUESTS && !need_input) {
			httpd_ready_add(c);	/* more requests buffered */
			return;
		}
		if (!need_input)
			continue;	/* obuf was full and is empty now */
		if (c->eof) {
			httpd_close(c);
			return;
		}
		if (!c->readable)
			return;
		if (got >= HTTPD_TURN_BYTES) {
			httpd_ready_add(c);	/* more may wait in the socket */
			return;
		}
		if (c->rlen == HTTPD_RBUF_SIZE) {
			/* A partial request at the end: move it to the front. */
			memmove(c->rbuf, c->rbuf + c->rstart, (size_t)(c->rlen - c->rstart));
			c->rlen = (uint16_t)(c->rlen - c->rstart);
			c->rstart = 0;
		}
		room = HTTPD_RBUF_SIZE - c->rlen;
		n = read(c->fd, c->rbuf + c->rlen, room);
		if (n > 0) {
			got += (size_t)n;
			c->rlen = (uint16_t)(c->rlen + n);
			/* With edge triggering a short read means drained:
			 * new bytes will raise a new edge (saves a read). */
			if ((size_t)n < room)
				c->readable = 0;
		} else if (n == 0) {
			c->eof = 1;
			c->readable = 0;
		} else if (errno == EAGAIN) {
			c->readable = 0;
			return;
		} else if (errno != EINTR) {
			httpd_close(c);
			return;
		}
	}
}

static int httpd_conn_is_idle(const struct conn *c)
{
	return c->state == C_OPEN && c->rstart == c->rlen && c->olen == 0 &&
	       !c->body && !c->close_after;
}

/* Pool full: a connection in lingering close, or the oldest idle
 * keep-alive one, makes room. Only list heads are looked at: O(1). */
static struct conn *httpd_evict(void)
{
	struct conn *c = tlists[TL_LINGER].head;

	if (!c && (c = tlists[TL_MAIN].head) && !httpd_conn_is_idle(c))
		return NULL;
	if (c)
		httpd_close(c);
	return free_conns;
}

static void httpd_accept(void)
{
	struct conn *c;
	int fd, k;

	for (k = 0; k < HTTPD_ACCEPT_BATCH; k++) {
		fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EAGAIN)
				return;
			if (errno == ECONNABORTED || errno == EINTR)
				continue;
			/* EMFILE and the like: the pool is sized below the
			 * fd limit, so this is transient; try again later. */
			log_warn("accept");
			return;
		}
		c = free_conns ? free_conns : httpd_evict();
		if (!c) {
			close(fd);	/* full of busy connections */
			continue;
		}
		free_conns = c->next;
		c->fd = fd;
		c->state = C_OPEN;
		c->rstart = c->rlen = c->ooff = c->olen = 0;
		c->eof = c->close_after = c->linger = 0;
		c->body = BODY_NONE;
		c->readable = 1;	/* TCP_DEFER_ACCEPT: the request is there */
		c->registered = c->want_out = 0;
		c->prev = c->next = NULL;
		c->tl = TL_MAIN;
		tl_append(c, TL_MAIN);
		nconns++;
		/* Serve first, register after: a request answered with close
		 * never costs an epoll_ctl. Readiness is re-checked by
		 * EPOLL_CTL_ADD, so bytes arriving in between are not missed. */
		httpd_conn_run(c);
		if (c->state != C_FREE && !c->registered && httpd_epoll_set(c) < 0)
			httpd_close(c);
	}
}

static void httpd_expire(void)
{
	struct conn *c;
	unsigned tl;

	for (tl = 0; tl < TL_COUNT; tl++) {
		while ((c = tlists[tl].head) && c->deadline <= now_ms) {
			/* A request begun but not finished in time: tell the
			 * client why (RFC 9110 15.5.9), best effort. */
			if (c->state == C_OPEN && c->olen == 0 &&
			    (c->rstart != c->rlen || c->body)) {
				httpd_put_response(c, 408, 0, 0, 1);
				(void)!send(c->fd, c->obuf, c->olen, MSG_NOSIGNAL);
			}
			httpd_close(c);
		}
	}
}

static void httpd_begin_stop(void)
{
	unsigned i;

	if (stopping)
		return;
	stopping = 1;
	stop_deadline = now_ms + HTTPD_STOP_MS;
	close(listen_fd);
	listen_fd = -1;
	/* Idle connections go now; the others finish their request and get
	 * Connection: close with the answer. */
	for (i = 0; i < pool_size; i++)
		if (httpd_conn_is_idle(&conns[i]))
			httpd_close(&conns[i]);
}

/* Give each connection on the ready list one more turn; those that use
 * it up again join a new list, for after the next batch of events. */
static void httpd_run_ready(void)
{
	struct conn *c = ready_head, *next;

	ready_head = ready_tail = NULL;
	for (; c; c = next) {
		next = c->ready_next;
		c->queued = 0;
		if (c->state == C_OPEN)
			httpd_conn_run(c);
		else if (c->state == C_LINGER)
			httpd_linger_read(c);
	}
}

/* Worker 0: the sum of the counters into the status file (a new file
 * renamed over the old, so that a reader never sees half of one). */
static void httpd_write_status(void)
{
	char tmp[256], line[32];
	uint64_t sum = 0;
	int fd, n, i;

	if (!status_path || worker_index != 0 || now_ms < status_next)
		return;
	status_next = now_ms + HTTPD_STATUS_MS;
	for (i = 0; i < HTTPD_MAX_WORKERS; i++)
		sum += req_counts[i];
	if (sum == status_written)
		return;
	n = snprintf(tmp, sizeof(tmp), "%s.tmp", status_path);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return;
	n = snprintf(line, sizeof(line), "requests=%llu\n", (unsigned long long)sum);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (write(fd, line, (size_t)n) == n && rename(tmp, status_path) == 0)
		status_written = sum;
	close(fd);
}

static int httpd_next_timeout(void)
{
	int64_t next = -1, d;
	unsigned tl;

	if (ready_head)
		return 0;	/* work is waiting: only look for new events */
	if (status_path && worker_index == 0)
		next = status_next;

	for (tl = 0; tl < TL_COUNT; tl++)
		if (tlists[tl].head && (next < 0 || tlists[tl].head->deadline < next))
			next = tlists[tl].head->deadline;
	if (stopping && (next < 0 || stop_deadline < next))
		next = stop_deadline;
	if (next < 0)
		return -1;
	d = next - now_ms;
	return d < 0 ? 0 : d > 60000 ? 60000 : (int)d;
}

static void httpd_on_signal(void)
{
	struct signalfd_siginfo si;

	while (read(sig_fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT)
			httpd_begin_stop();
}

/* One worker: the event loop. Returns the exit status. */
static int httpd_worker_loop(void)
{
	struct epoll_event evs[HTTPD_MAX_EVENTS], ev;
	struct conn *c;
	int i, n;

	ev.events = EPOLLIN;
	ev.data.u32 = HTTPD_EV_LISTEN;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, listen_fd, &ev) < 0) {
		log_warn("httpd: epoll_ctl");
		return 1;
	}
	ev.data.u32 = HTTPD_EV_SIGNAL;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, sig_fd, &ev) < 0) {
		log_warn("httpd: epoll_ctl");
		return 1;
	}
	now_ms = httpd_mono_ms();
	while (!stopping || (nconns > 0 && now_ms < stop_deadline)) {
		n = epoll_wait(epfd, evs, HTTPD_MAX_EVENTS, httpd_next_timeout());
		if (n < 0 && errno != EINTR) {
			log_warn("httpd: epoll_wait");
			return 1;
		}
		now_ms = httpd_mono_ms();
		httpd_update_date();
		for (i = 0; i < n; i++) {
			if (evs[i].data.u32 == HTTPD_EV_LISTEN) {
				if (!stopping)
					httpd_accept();
				continue;
			}
			if (evs[i].data.u32 == HTTPD_EV_SIGNAL) {
				httpd_on_signal();
				continue;
			}
			c = &conns[evs[i].data.u32];
			if (c->state == C_FREE)
				continue;	/* closed earlier in this batch */
			if (evs[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
				c->readable = 1;
			if (c->state == C_LINGER)
				httpd_linger_read(c);
			else
				httpd_conn_run(c);
		}
		httpd_expire();
		httpd_run_ready();
		httpd_write_status();
	}
	return 0;
}

/* ---- set-up ------------------------------------------------------------ */

/* Raise the fd limit to what the pools need (root may raise the hard
 * limit too); returns the soft limit then in force. */
static rlim_t httpd_raise_nofile(rlim_t want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 256;
	if (rl.rlim_max < want && geteuid() == 0) {
		rl.rlim_max = rl.rlim_cur = want;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	return rl.rlim_cur;
}

/* Conns and their buffers in one anonymous mapping: pages are only backed
 * once touched, so RSS follows the peak number of busy connections. */
static int httpd_alloc_pool(unsigned n)
{
	size_t per = HTTPD_RBUF_SIZE + HTTPD_OBUF_SIZE;
	size_t meta = ((size_t)n * sizeof(struct conn) + 4095) & ~(size_t)4095;
	char *mem, *bufs;
	unsigned i;

	mem = mmap(NULL, meta + (size_t)n * per, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		return -1;
	conns = (struct conn *)(void *)mem;
	bufs = mem + meta;
	pool_size = n;
	for (i = n; i-- > 0;) {
		conns[i].fd = -1;
		conns[i].rbuf = bufs + (size_t)i * per;
		conns[i].obuf = conns[i].rbuf + HTTPD_RBUF_SIZE;
		conns[i].next = free_conns;
		free_conns = &conns[i];
	}
	return 0;
}

/* Dual stack: one AF_INET6 socket with IPV6_V6ONLY off also takes IPv4
 * connections, as IPv4-mapped addresses (RFC 3493 5.3, RFC 4291 2.5.5.2),
 * so each worker still has a single listener. The option is set, not left
 * to the net.ipv6.bindv6only sysctl. A kernel built without IPv6 (or
 * booted with ipv6.disable=1) refuses the socket: then IPv4 alone. */
static int listen_family = AF_INET6;

static int httpd_listen(int port)
{
	union {
		struct sockaddr sa;
		struct sockaddr_in in4;
		struct sockaddr_in6 in6;
	} a;
	socklen_t alen;
	/* Wake up for a connection only once its first bytes are in: one
	 * wakeup and one read fewer per connection. A client that connects
	 * and says nothing costs the kernel a SYN-ACK retransmit timer, not
	 * a pool slot (after the wait, it is accepted as usual). */
	int fd, one = 1, zero = 0, defer_s = 1;

	fd = socket(listen_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 && listen_family == AF_INET6 && errno == EAFNOSUPPORT) {
		log_warnx("httpd: no IPv6 in this kernel, listening on IPv4 only");
		listen_family = AF_INET;
		fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	}
	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	if (listen_family == AF_INET6) {
		a.in6.sin6_family = AF_INET6;
		a.in6.sin6_port = htons((uint16_t)port);
		a.in6.sin6_addr = in6addr_any;
		alen = sizeof(a.in6);
	} else {
		a.in4.sin_family = AF_INET;
		a.in4.sin_port = htons((uint16_t)port);
		a.in4.sin_addr.s_addr = htonl(INADDR_ANY);
		alen = sizeof(a.in4);
	}
	if ((listen_family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) < 0) ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer_s, sizeof(defer_s)) < 0 ||
	    bind(fd, &a.sa, alen) < 0 ||
	    listen(fd, HTTPD_BACKLOG) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Keep only the privileges a server of bytes needs: none. */
static int httpd_drop_privileges(void)
{
	if (getuid() == 0 || geteuid() == 0) {
		if (setgroups(0, NULL) < 0 || setgid(HTTPD_NOBODY) < 0 ||
		    setuid(HTTPD_NOBODY) < 0) {
			log_warn("httpd: dropping privileges");
			return -1;
		}
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		log_warn("httpd: PR_SET_NO_NEW_PRIVS");
		return -1;
	}
	return 0;
}

/* One worker: its pool, its epoll, its signalfd, on its own listener. */
static int httpd_worker(int fd, unsigned pool)
{
	sigset_t set;

	listen_fd = fd;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if ((sig_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) < 0 ||
	    (epfd = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		log_warn("httpd: worker set-up");
		return 1;
	}
	if (httpd_alloc_pool(pool) < 0) {
		log_warn("httpd: connection pool of %u", pool);
		return 1;
	}
	httpd_update_date();
	return httpd_worker_loop();
}

static int listen_fds[HTTPD_MAX_WORKERS];
static pid_t worker_pids[HTTPD_MAX_WORKERS];

static pid_t httpd_spawn_worker(int i, int nworkers, unsigned pool)
{
	pid_t parent = getpid(), pid;
	int k;

	pid = fork();
	if (pid != 0)
		return pid;
	/* A worker never outlives the parent that the supervisor watches. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != parent)
		_exit(1);
	for (k = 0; k < nworkers; k++)
		if (k != i)
			close(listen_fds[k]);
	worker_index = i;
	_exit(httpd_worker(listen_fds[i], pool));
}

/* The parent of several workers: pass SIGTERM on, restart a worker that
 * dies, return once all are gone after a stop. */
static int httpd_supervise(int nworkers, unsigned pool)
{
	struct signalfd_siginfo si;
	struct timespec backoff = { 1, 0 };
	sigset_t set;
	pid_t pid;
	int i, alive = 0, st, sfd;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0 ||
	    (sfd = signalfd(-1, &set, SFD_CLOEXEC)) < 0) {
		log_warn("httpd: signalfd");
		return 1;
	}
	for (i = 0; i < nworkers; i++) {
		if ((worker_pids[i] = httpd_spawn_worker(i, nworkers, pool)) < 0) {
			log_warn("httpd: fork");
			worker_pids[i] = 0;
			continue;
		}
		alive++;
	}
	while (alive > 0) {
		if (read(sfd, &si, sizeof(si)) != (ssize_t)sizeof(si))
			continue;
		if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT) {
			/* The parent's copies keep the listeners open for a
			 * restart; closing them too makes the kernel refuse
			 * new connections and reset those not yet accepted. */
			stopping = 1;
			for (i = 0; i < nworkers; i++) {
				if (worker_pids[i] > 0)
					kill(worker_pids[i], SIGTERM);
				close(listen_fds[i]);
			}
			continue;
		}
		while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
			for (i = 0; i < nworkers && worker_pids[i] != pid; i++)
				;
			if (i == nworkers)
				continue;
			worker_pids[i] = 0;
			alive--;
			if (stopping)
				continue;
			log_warnx("httpd: worker %d exited (status %d), restarting", i, st);
			nanosleep(&backoff, NULL);
			if ((worker_pids[i] = httpd_spawn_worker(i, nworkers, pool)) > 0)
				alive++;
			else
				worker_pids[i] = 0;
		}
	}
	return 0;
}

/* Decimal in [min, max], digits only; by hand, as musl's strtol() costs
 * 2.5 KiB (measured) and accepts signs and spaces that a port must not have. */
static int httpd_parse_int(const char *s, int min, int max, int *out)
{
	long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || (v = v * 10 + (*s - '0')) > max)
			return -1;
	}
	if (v < min)
		return -1;
	*out = (int)v;
	return 0;
}

int httpd_main(int argc, char **argv)
{
	int port = HTTPD_DEFAULT_PORT, ready_fd = -1, nworkers = 0, i;
	unsigned pool;
	rlim_t nofile;
	cpu_set_t cpus;
	sigset_t set;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
			if (httpd_parse_int(argv[++i], 1, 65535, &port) < 0)
				goto usage;
		} else if (strcmp(argv[i], "--ready-fd") == 0 && i + 1 < argc) {
			if (httpd_parse_int(argv[++i], 0, 65535, &ready_fd) < 0)
				goto usage;
		} else if (strcmp(argv[i], "--status") == 0 && i + 1 < argc) {
			status_path = argv[++i];
		} else if (strcmp(argv[i], "--workers") == 0 && i + 1 < argc) {
			if (httpd_parse_int(argv[++i], 1, HTTPD_MAX_WORKERS, &nworkers) < 0)
				goto usage;
		} else {
			goto usage;
		}
	}
	/* One worker per CPU this process may run on. */
	if (nworkers == 0) {
		nworkers = 1;
		if (sched_getaffinity(0, sizeof(cpus), &cpus) == 0)
			nworkers = CPU_COUNT(&cpus);
		if (nworkers < 1)
			nworkers = 1;
		if (nworkers > HTTPD_MAX_WORKERS)
			nworkers = HTTPD_MAX_WORKERS;
	}

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0) {
		log_warn("httpd: sigprocmask");
		return 1;
	}
	/* HTTPD_MAX_CONNS is shared out among the workers, so memory does
	 * not grow with the number of CPUs; each pool also fits the fd
	 * limit. */
	pool = HTTPD_MAX_CONNS / (unsigned)nworkers;
	nofile = httpd_raise_nofile(pool + HTTPD_FD_RESERVE + (rlim_t)nworkers);
	if (nofile < pool + HTTPD_FD_RESERVE + (rlim_t)nworkers)
		pool = nofile > 2 * HTTPD_FD_RESERVE + (rlim_t)nworkers ?
		       (unsigned)(nofile - HTTPD_FD_RESERVE - (rlim_t)nworkers) :
		       HTTPD_FD_RESERVE;
	for (i = 0; i < nworkers; i++) {
		if ((listen_fds[i] = httpd_listen(port)) < 0) {
			log_warn("httpd: listening on port %d", port);
			return 1;
		}
	}
	if (httpd_drop_privileges() < 0)
		return 1;
	req_counts = mmap(NULL, HTTPD_MAX_WORKERS * sizeof(*req_counts), PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (req_counts == MAP_FAILED)
		req_counts = NULL;
	if (!req_counts)
		status_path = NULL;
	log_info("HTTP server listening on :%d", port);
	if (ready_fd >= 0) {
		(void)!write(ready_fd, "\n", 1);
		close(ready_fd);
	}
	if (nworkers == 1)
		return httpd_worker(listen_fds[0], pool);
	return httpd_supervise(nworkers, pool);

usage:
	log_warnx("usage: init httpd [--port N] [--ready-fd FD] [--workers N] [--status FILE]");
	return 2;
}
