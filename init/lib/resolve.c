/* resolve.c - the stub resolver (resolve.h) and the `init resolve` role.
 *
 * Spoofing defences (RFC 5452 9.1, RFC 1536): each query goes out from
 * a new socket bound to a random port and connected to the server (the
 * kernel drops datagrams from any other address or port), with a random
 * id; the answer must carry that id and echo our question (pure/dns.c).
 * Anything else is ignored and the wait goes on until the deadline.
 *
 * `init resolve [--resolv-conf PATH] NAME` prints NAME's first address as
 * one line ("192.0.2.2\n", "2001:db8::1\n") and exits 0, or writes why
 * not to stderr and exits 1. PID 1 runs it to resolve the syslog target,
 * so that PID 1 itself never reads a DNS answer; it runs as an
 * unprivileged uid with no capabilities and no_new_privs.
 * --resolv-conf is for tests (refused under PID 1). */
#include "lib/resolve.h"
#include "lib/log.h"
#include "lib/roles.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RESOLVE_BIND_TRIES 8	/* random source ports tried before the kernel's */
#define RESOLVE_PORT_MIN   1024

struct ns {
	struct sockaddr_storage ss;
	socklen_t len;
};

static void random_bytes(void *p, size_t n)
{
	struct timespec ts;

	/* Never wait for entropy: GRND_INSECURE (Linux 5.6), then the clock. */
	if (getrandom(p, n, GRND_NONBLOCK | 0x0004) == (ssize_t)n ||
	    getrandom(p, n, GRND_NONBLOCK) == (ssize_t)n)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	memset(p, 0, n);
	memcpy(p, &ts.tv_nsec, n < sizeof(ts.tv_nsec) ? n : sizeof(ts.tv_nsec));
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The "nameserver ADDR" lines of CONF (resolv.conf(5)), IPv4 or IPv6. */
static int read_conf(const char *conf, struct ns *ns)
{
	char buf[RESOLVE_CONF_MAX + 1], addr[INET6_ADDRSTRLEN];
	ssize_t len;
	char *line, *nl;
	int fd, n = 0;

	fd = open(conf, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	len = read(fd, buf, RESOLVE_CONF_MAX);
	close(fd);
	if (len <= 0)
		return 0;
	buf[len] = '\0';
	for (line = buf; line && *line && n < RESOLVE_MAX_NS; line = nl) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ns[n].ss;
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ns[n].ss;
		size_t al;

		nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		if (strncmp(line, "nameserver", 10) != 0 || (line[10] != ' ' && line[10] != '\t'))
			continue;
		line += 11;
		line += strspn(line, " \t");
		al = strcspn(line, " \t\r#");
		if (al == 0 || al >= sizeof(addr))
			continue;
		memcpy(addr, line, al);
		addr[al] = '\0';
		memset(&ns[n].ss, 0, sizeof(ns[n].ss));
		if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
			s4->sin_family = AF_INET;
			s4->sin_port = htons(DNS_PORT);
			ns[n++].len = sizeof(*s4);
		} else if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
			s6->sin6_family = AF_INET6;
			s6->sin6_port = htons(DNS_PORT);
			ns[n++].len = sizeof(*s6);
		}
	}
	return n;
}

/* A socket on a random source port (RFC 5452 9.2), connected to NS. */
static int open_socket(const struct ns *ns)
{
	struct sockaddr_storage b;
	uint16_t port;
	int fd, i;

	fd = socket(ns->ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	for (i = 0; i < RESOLVE_BIND_TRIES; i++) {
		memset(&b, 0, sizeof(b));
		b.ss_family = ns->ss.ss_family;
		random_bytes(&port, sizeof(port));
		port = (uint16_t)(RESOLVE_PORT_MIN + port % (65536 - RESOLVE_PORT_MIN));
		if (b.ss_family == AF_INET)
			((struct sockaddr_in *)&b)->sin_port = htons(port);
		else
			((struct sockaddr_in6 *)&b)->sin6_port = htons(port);
		if (bind(fd, (struct sockaddr *)&b, ns->len) == 0)
			break;
	}
	/* all in use: the kernel's ephemeral port (itself randomised) */
	if (connect(fd, (const struct sockaddr *)&ns->ss, ns->len) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* One query of TYPE to NS: the count (>= 0), -1 (no answer; errno), or
 * -2 (a definite answer: that name has no such address, *WHY says). */
static int ask(const struct ns *ns, const char *name, uint16_t type, struct dns_addr *out,
	       size_t max, const char **why)
{
	uint8_t q[DNS_QUERY_MAX], r[DNS_UDP_MAX];
	int64_t deadline = mono_ms() + RESOLVE_TIMEOUT_MS;
	uint16_t id;
	int fd, qlen, n, rcode;

	random_bytes(&id, sizeof(id));
	qlen = dns_build_query(q, sizeof(q), id, name, type);
	if (qlen < 0) {
		*why = "not a host name";
		return -2;
	}
	fd = open_socket(ns);
	if (fd < 0) {
		*why = strerror(errno);
		return -1;
	}
	if (send(fd, q, (size_t)qlen, 0) != qlen) {
		*why = strerror(errno);
		close(fd);
		return -1;
	}
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		int64_t left = deadline - mono_ms();
		ssize_t len;

		if (left <= 0) {
			*why = "no answer";
			errno = ETIMEDOUT;
			break;
		}
		if (poll(&p, 1, (int)left) <= 0)
			continue;
		len = recv(fd, r, sizeof(r), MSG_DONTWAIT);
		if (len < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			*why = strerror(errno);	/* e.g. ECONNREFUSED: nothing on port 53 */
			break;
		}
		n = dns_parse_response(r, (size_t)len, id, name, type, out, max, &rcode, why);
		if (n >= 0) {
			close(fd);
			return n;
		}
		/* a real answer from the server: NXDOMAIN, SERVFAIL, REFUSED */
		if (rcode >= 0 && rcode != 0) {
			close(fd);
			return rcode == DNS_RCODE_NXDOMAIN ? -2 : -1;
		}
		/* anything else (another id, another question): ignored */
	}
	close(fd);
	return -1;
}

int resolve_name(const char *name, const char *conf, struct dns_addr *out, size_t max,
		 const char **why)
{
	static const uint16_t types[] = { DNS_TYPE_A, DNS_TYPE_AAAA };
	struct ns ns[RESOLVE_MAX_NS];
	const char *w = "no nameserver";
	int nns, t, i, k, n, nodata[RESOLVE_MAX_NS] = { 0 };

	nns = read_conf(conf ? conf : RESOLVE_CONF, ns);
	if (nns == 0) {
		if (why)
			*why = "no nameserver (none from DHCP yet)";
		errno = ENETUNREACH;
		return -1;
	}
	errno = ETIMEDOUT;
	for (t = 0; t < RESOLVE_TRIES; t++) {
		for (i = 0; i < nns; i++) {
			if (nodata[i])
				continue;
			for (k = 0; k < 2; k++) {
				n = ask(&ns[i], name, types[k], out, max, &w);
				if (n > 0)
					return n;
				if (n == -2) {	/* NXDOMAIN: the name is not there */
					nodata[i] = 1;
					break;
				}
				if (n < 0)
					break;	/* no answer from this server: the next */
				/* 0: no address of this type; the other */
				if (k == 1)
					nodata[i] = 1, w = "no address for that name";
			}
		}
	}
	for (i = 0; i < nns && nodata[i]; i++)
		;
	if (i == nns)
		errno = ENOENT;
	if (why)
		*why = w;
	return -1;
}

int resolve_main(int argc, char **argv)
{
	struct dns_addr a[1];
	char text[INET6_ADDRSTRLEN + 1];
	const char *conf = NULL, *why = "";
	size_t len;
	int i = 1;

	if (argc > 3 && strcmp(argv[1], "--resolv-conf") == 0) {
		if (getppid() != 1)	/* tests only: never under PID 1 */
			conf = argv[2];
		i = 3;
	}
	if (argc != i + 1) {
		log_warnx("usage: init resolve [--resolv-conf PATH] NAME");
		return 2;
	}
	if (resolve_name(argv[i], conf, a, 1, &why) < 0) {
		log_warnx("resolve: %s: %s", argv[i], why);
		return 1;
	}
	if (!inet_ntop(a[0].len == 16 ? AF_INET6 : AF_INET, a[0].addr, text, sizeof(text) - 1))
		return 1;
	len = strlen(text);
	text[len++] = '\n';
	return write(STDOUT_FILENO, text, len) == (ssize_t)len ? 0 : 1;
}
