/* sntp.c - the SNTP client role: `init sntp [--servers a,b] [--no-set] ...`.
 *
 * The I/O shell around pure/sntp.c: servers, a UDP socket per request,
 * the poll schedule, the clock. One request at a time, to one server:
 *
 *   NOSERVER --servers appear--> WAITING --deadline--> ASKING
 *   ASKING --good reply--> WAITING (poll: 64 s doubling to 1024 s)
 *   ASKING --timeout, refusal, send error--> WAITING (next server;
 *          16 s doubling to 1024 s: RFC 4330 10, never below 15 s)
 *   ASKING --kiss RATE--> WAITING (interval doubled);
 *          --kiss DENY/RSTR--> that server is never asked again
 *
 * Servers: --servers (PID 1 passes minilinux.ntp= or the services file's
 * ntp =), else the file the DHCP client writes from option 42 (--ntp-file,
 * /run/net/ntp: one address a line), read again before every request.
 * Names are resolved by lib/resolve.c through the nameservers of the DHCP
 * client's /run/net/resolv.conf (--resolv-conf: tests only), for every
 * request: a name that moves is followed.
 *
 * Each request goes out from a new socket, connected to the server (the
 * kernel drops datagrams from anyone else, and the source port is new),
 * with a random transmit timestamp (the reply must echo it; RFC 5905 8)
 * so that nothing of our clock is sent. Our own send and receive times
 * are kept here.
 *
 * The first good answer steps the clock (clock_settime) when it is off by
 * more than SNTP_STEP_NS, else slews it (adjtimex, singleshot: 0.5 ms a
 * second); --no-set only reports. With STATE_DIRECTORY set (persistent
 * storage), the time is saved in $STATE_DIRECTORY/clock on every sync and
 * at SIGTERM, and at start a clock behind the saved time is moved forward
 * to it (boards without an RTC). The state is kept in --status
 * (/run/time/status) for the admin API.
 *
 * Under PID 1 this runs as uid = gid 101 with CAP_SYS_TIME only (ambient);
 * it drops every other capability itself and sets no_new_privs. */
#include "lib/log.h"
#include "lib/resolve.h"
#include "lib/roles.h"
#include "pure/sntp.h"
#include "pure/syslog_fmt.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>

#define SNTP_MAX_SERVERS   8
#define SNTP_NAME_MAX      128	/* one server: host, host:port, [v6]:port */
#define SNTP_LIST_MAX      1024	/* the servers file, or --servers */
#define SNTP_TIMEOUT_MS    2000	/* wait for one reply */
#define SNTP_RETRY_MIN_S   16	/* RFC 4330 10: a poll interval never below 15 s */
#define SNTP_POLL_MIN_S    64	/* RFC 4330 10 / RFC 5905 7.3: minpoll 6 */
#define SNTP_POLL_MAX_S    1024	/* maxpoll 10 */
#define SNTP_NOSERVER_MS   2000	/* how often the servers file is read when empty */
#define SNTP_STEP_NS       1000000000LL	/* step above 1 s, slew below */
#define SNTP_DROP_LOG_MAX  20	/* refusal lines a minute */
#define SNTP_TIME_DIV_MAX  1000
#define SNTP_READY_FD_MIN  3
#define SNTP_STATUS_MAX    1024
#define SNTP_PORT          123
/* A resolved name is kept for its TTL, but at least this long (a TTL of
 * 0 must not mean a DNS query before every poll) and at most a day. */
#define SNTP_DNS_TTL_MIN_S 60
#define SNTP_DNS_TTL_MAX_S 86400
#define SNTP_NTP_FILE      "/run/net/ntp"
#define SNTP_STATUS_FILE   "/run/time/status"
#define SNTP_CLOCK_FILE    "clock"	/* in $STATE_DIRECTORY */

struct sntp_server {
	char name[SNTP_NAME_MAX];
	int denied;		/* kiss DENY or RSTR: never again */
	/* The address last found for NAME, used until UNTIL_MS (its DNS
	 * TTL, clamped; for an address literal: for ever) or a failed
	 * request, whichever comes first. ADDRLEN 0: none. */
	struct sockaddr_storage addr;
	socklen_t addrlen;
	int64_t until_ms;
};

static struct {
	struct sntp_server srv[SNTP_MAX_SERVERS];
	int nsrv, cur;
	int fixed;		/* --servers given: the file is not read */
	char list[SNTP_LIST_MAX];	/* the text the list came from */
	const char *ntp_file, *status_file, *resolv_conf;
	char clock_file[PATH_MAX];
	int no_set, ready_fd, sfd, fd;
	unsigned time_div;
	/* the request in flight */
	uint64_t sent_xmt, t1;
	int64_t asked_ms;
	/* schedule */
	int64_t next_ms;
	unsigned interval_s;	/* after the last result */
	/* results */
	int synced;
	char last_server[SNTP_NAME_MAX];
	int64_t last_offset_ns, last_delay_ns, last_sync_unix;
	unsigned polls, answers;
	int64_t drop_window;
	unsigned drops;
	char status[SNTP_STATUS_MAX];
	size_t status_len;
} st;

static int parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out);

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t wall_ntp(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return sntp_from_unix(ts.tv_sec, ts.tv_nsec);
}

/* A duration in s (test mode: divided) in ms. */
static int64_t scaled_ms(unsigned s)
{
	return (int64_t)s * 1000 / st.time_div;
}

/* "-1.234567" from nanoseconds, for console lines (no floating point). */
static const char *fmt_secs(int64_t ns, char *buf, size_t len)
{
	uint64_t u = ns < 0 ? 0 - (uint64_t)ns : (uint64_t)ns;

	snprintf(buf, len, "%s%llu.%06u", ns < 0 ? "-" : "", (unsigned long long)(u / 1000000000u),
		 (unsigned)(u % 1000000000u / 1000u));
	return buf;
}

static int drop_log(void)
{
	int64_t now = now_ms();

	if (now - st.drop_window >= 60000) {
		st.drop_window = now;
		st.drops = 0;
	}
	if (++st.drops == SNTP_DROP_LOG_MAX + 1)
		log_warnx("sntp: more replies refused; quiet for a minute");
	return st.drops <= SNTP_DROP_LOG_MAX;
}

/* Write TEXT to PATH whole: a temporary file, then rename(2). */
static int write_atomic(const char *path, const char *text, size_t len)
{
	char tmp[PATH_MAX];
	int fd, ok;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	ok = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
	if (close(fd) < 0 || !ok || rename(tmp, path) < 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* ---- status ------------------------------------------------------------------ */

static void write_status(void)
{
	char text[SNTP_STATUS_MAX], a[24], b[24];
	int64_t wait = st.next_ms - now_ms();
	size_t len = 0;
	int n, i;

#define EMIT(...) do { \
	n = snprintf(text + len, sizeof(text) - len, __VA_ARGS__); \
	if (n > 0 && (size_t)n < sizeof(text) - len) \
		len += (size_t)n; \
} while (0)
	EMIT("# written by the minilinux SNTP client\n");
	EMIT("state=%s\n", st.nsrv == 0 ? "no-server" : st.synced ? "synchronised" : "unsynchronised");
	EMIT("synchronised=%s\n", st.synced ? "yes" : "no");
	EMIT("servers=");
	for (i = 0; i < st.nsrv; i++)
		EMIT("%s%s%s", i ? "," : "", st.srv[i].name, st.srv[i].denied ? "(denied)" : "");
	EMIT("\nsource=%s\n", st.nsrv == 0 ? "none" : st.fixed ? "configuration" : "dhcp");
	if (st.answers) {
		EMIT("server=%s\n", st.last_server);
		EMIT("offset=%s\n", fmt_secs(st.last_offset_ns, a, sizeof(a)));
		EMIT("delay=%s\n", fmt_secs(st.last_delay_ns, b, sizeof(b)));
		EMIT("last_sync=%lld\n", (long long)st.last_sync_unix);
	}
	EMIT("poll_interval=%u\n", st.interval_s);
	if (st.nsrv)
		EMIT("next_poll_in_ms=%lld\n", (long long)(wait > 0 ? wait : 0));
	EMIT("polls=%u\nanswers=%u\n", st.polls, st.answers);
#undef EMIT
	/* written when it changes (next_poll_in_ms: as of the writing) */
	if (len == st.status_len && memcmp(text, st.status, len) == 0)
		return;
	if (write_atomic(st.status_file, text, len) < 0) {
		if (st.status_len != (size_t)-1)
			log_warn("sntp: write %s", st.status_file);
		st.status_len = (size_t)-1;	/* said once */
		return;
	}
	memcpy(st.status, text, len);
	st.status_len = len;
}

/* ---- the saved clock ------------------------------------------------------------ */

static void clock_save(void)
{
	struct timespec ts;
	char text[32];
	int n;

	if (!st.clock_file[0])
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	n = snprintf(text, sizeof(text), "%lld\n", (long long)ts.tv_sec);
	if (write_atomic(st.clock_file, text, (size_t)n) < 0)
		log_warn("sntp: save the time to %s", st.clock_file);
}

/* A clock behind the time saved at the last sync or shutdown is surely
 * wrong (no RTC, or a dead battery): move it forward before the first
 * answer, so that time never runs backwards across a reboot. */
static void clock_restore(void)
{
	char buf[32], tbuf[SYSLOG_TIME_MAX];
	struct timespec now, ts = { 0, 0 };
	long long saved = 0;
	ssize_t n;
	int fd, i;

	if (!st.clock_file[0])
		return;
	fd = open(st.clock_file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT)
			log_warn("sntp: %s", st.clock_file);
		return;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	for (i = 0; i < n && buf[i] >= '0' && buf[i] <= '9' && saved < 1LL << 40; i++)
		saved = saved * 10 + (buf[i] - '0');
	if (n <= 0 || i == 0 || (i < n && buf[i] != '\n')) {
		log_warnx("sntp: %s: not a time; ignored", st.clock_file);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &now);
	if ((long long)now.tv_sec >= saved)
		return;
	syslog_fmt_time(tbuf, sizeof(tbuf), saved, 0, 0);
	if (st.no_set) {
		log_info("Time: clock behind the saved time %s by %lld s; not moved (--no-set)",
			 tbuf, saved - (long long)now.tv_sec);
		return;
	}
	ts.tv_sec = (time_t)saved;
	if (clock_settime(CLOCK_REALTIME, &ts) < 0)
		log_warn("sntp: set the clock to the saved time");
	else
		log_info("Time: clock was behind the saved time; moved forward by %lld s to %s",
			 saved - (long long)now.tv_sec, tbuf);
}

/* ---- servers --------------------------------------------------------------------- */

/* Servers from TEXT: separated by commas, blanks or newlines; '#' starts
 * a comment to the end of the line. At most SNTP_MAX_SERVERS; longer
 * names are refused. Denied marks stay for names that stay. */
static void servers_set(const char *text, size_t len)
{
	struct sntp_server old[SNTP_MAX_SERVERS];
	int nold = st.nsrv, i, j;
	size_t p = 0, s;

	if (len > sizeof(st.list) - 1)
		len = sizeof(st.list) - 1;
	if (len == strlen(st.list) && memcmp(text, st.list, len) == 0)
		return;
	memcpy(old, st.srv, sizeof(old));
	memcpy(st.list, text, len);
	st.list[len] = '\0';
	st.nsrv = 0;
	while (p < len) {
		if (text[p] == '#') {
			while (p < len && text[p] != '\n')
				p++;
			continue;
		}
		if (text[p] == ',' || text[p] == ' ' || text[p] == '\t' || text[p] == '\n' ||
		    text[p] == '\r') {
			p++;
			continue;
		}
		for (s = p; p < len && !strchr(", \t\r\n#", text[p]); p++)
			;
		if (p - s >= SNTP_NAME_MAX) {
			log_warnx("sntp: server name of %zu bytes ignored (SNTP_NAME_MAX %d)", p - s,
				  SNTP_NAME_MAX);
			continue;
		}
		if (st.nsrv == SNTP_MAX_SERVERS) {
			log_warnx("sntp: more than %d servers; the rest ignored", SNTP_MAX_SERVERS);
			break;
		}
		memcpy(st.srv[st.nsrv].name, text + s, p - s);
		st.srv[st.nsrv].name[p - s] = '\0';
		st.srv[st.nsrv].denied = 0;
		st.srv[st.nsrv].addrlen = 0;
		for (j = 0; j < nold; j++)
			if (strcmp(old[j].name, st.srv[st.nsrv].name) == 0)
				st.srv[st.nsrv].denied = old[j].denied;
		st.nsrv++;
	}
	st.cur = 0;
	if (st.nsrv == 0) {
		log_info("sntp: no NTP server (none configured, none from DHCP): not polling");
	} else {
		char line[LOG_LINE_MAX];
		size_t n = 0;

		for (i = 0; i < st.nsrv && n < sizeof(line); i++)
			n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s", i ? "," : "",
					      st.srv[i].name);
		log_info("sntp: servers %s (%s)", line, st.fixed ? "configured" : "from DHCP");
		/* New servers: ask now, not at the old schedule. */
		if (nold == 0 || !st.synced) {
			st.next_ms = now_ms();
			st.interval_s = 0;
		}
	}
}

static void servers_reload(void)
{
	char buf[SNTP_LIST_MAX];
	ssize_t n = -1;
	int fd;

	if (st.fixed)
		return;
	fd = open(st.ntp_file, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf));
		close(fd);
	} else if (errno != ENOENT) {
		if (drop_log())
			log_warn("sntp: %s", st.ntp_file);
	}
	servers_set(buf, n > 0 ? (size_t)n : 0);
}

/* "host", "host:port", "[v6]:port" or a bare IPv6 address; a host that
 * is not an address is resolved through the DHCP-given nameservers
 * (lib/resolve.c). 0, or -1 with WHY. */
static int server_resolve(const char *name, struct sockaddr_storage *ss, socklen_t *sslen,
			  uint32_t *ttl, const char **why)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	char host[SNTP_NAME_MAX];
	const char *colon = strrchr(name, ':'), *ps = NULL;
	struct dns_addr a;
	unsigned long port = SNTP_PORT;
	size_t hl = strlen(name);

	if (name[0] == '[') {
		const char *end = strchr(name, ']');

		if (!end || (end[1] && end[1] != ':'))
			goto bad;
		hl = (size_t)(end - name - 1);
		memcpy(host, name + 1, hl);
		host[hl] = '\0';
		if (end[1] == ':')
			ps = end + 2;
	} else if (colon && strchr(name, ':') == colon) {
		hl = (size_t)(colon - name);
		memcpy(host, name, hl);
		host[hl] = '\0';
		ps = colon + 1;
	} else {
		memcpy(host, name, hl + 1);
	}
	if (ps && parse_uint(ps, 1, 65535, &port) < 0)
		goto bad;
	memset(ss, 0, sizeof(*ss));
	*ttl = UINT32_MAX;	/* an address: for ever */
	if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		*sslen = sizeof(*s6);
		return 0;
	}
	if (inet_pton(AF_INET, host, &s4->sin_addr) != 1) {
		if (resolve_name(host, st.resolv_conf, &a, 1, why) < 0)
			return -1;
		*ttl = a.ttl < SNTP_DNS_TTL_MIN_S ? SNTP_DNS_TTL_MIN_S :
		       a.ttl > SNTP_DNS_TTL_MAX_S ? SNTP_DNS_TTL_MAX_S : a.ttl;
		if (a.len == 16) {
			memcpy(&s6->sin6_addr, a.addr, 16);
			s6->sin6_family = AF_INET6;
			s6->sin6_port = htons((uint16_t)port);
			*sslen = sizeof(*s6);
			return 0;
		}
		memcpy(&s4->sin_addr, a.addr, 4);
	}
	s4->sin_family = AF_INET;
	s4->sin_port = htons((uint16_t)port);
	*sslen = sizeof(*s4);
	return 0;
bad:
	*why = "not HOST, HOST:PORT or [IPv6]:PORT";
	return -1;
}

/* ---- one exchange ------------------------------------------------------------ */

static uint64_t random64(void)
{
	uint64_t v = 0;
	struct timespec ts;

	/* Never wait for entropy: GRND_INSECURE (Linux 5.6), then the clock. */
	if (getrandom(&v, sizeof(v), GRND_NONBLOCK | 0x0004) != sizeof(v) &&
	    getrandom(&v, sizeof(v), GRND_NONBLOCK) != sizeof(v)) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		v = (uint64_t)ts.tv_nsec << 32 ^ (uint64_t)ts.tv_sec ^ (uint64_t)getpid() << 48 ^ st.t1;
	}
	return v ? v : 1;
}

static void close_request(void)
{
	if (st.fd >= 0)
		close(st.fd);
	st.fd = -1;
	st.sent_xmt = 0;
}

/* The next usable server after the current one, or -1. */
static int next_server(int from)
{
	int i, k;

	for (k = 1; k <= st.nsrv; k++) {
		i = (from + k) % st.nsrv;
		if (!st.srv[i].denied)
			return i;
	}
	return -1;
}

/* No answer (or a refusal): the next server, later; RFC 4330 10: back off. */
static void request_failed(void)
{
	int n;

	/* The address may be why: find it again next time. */
	if (st.cur < st.nsrv)
		st.srv[st.cur].addrlen = 0;
	n = next_server(st.cur);

	close_request();
	if (n >= 0)
		st.cur = n;
	if (st.interval_s < SNTP_RETRY_MIN_S)
		st.interval_s = SNTP_RETRY_MIN_S;
	else if (st.interval_s < SNTP_POLL_MAX_S)
		st.interval_s *= 2;
	st.next_ms = now_ms() + scaled_ms(st.interval_s);
	write_status();
}

static void request_send(void)
{
	struct sockaddr_storage ss;
	socklen_t sslen = 0;
	uint8_t pkt[SNTP_PKT_LEN];
	const char *name, *why = "";
	struct sntp_server *srv;
	uint32_t ttl;
	int rc;

	if (st.cur >= st.nsrv || st.srv[st.cur].denied) {
		rc = next_server(st.cur >= st.nsrv ? 0 : st.cur);
		if (rc < 0) {
			st.next_ms = now_ms() + scaled_ms(SNTP_POLL_MAX_S);
			write_status();
			return;
		}
		st.cur = rc;
	}
	srv = &st.srv[st.cur];
	name = srv->name;
	st.polls++;
	if (srv->addrlen && now_ms() < srv->until_ms) {
		ss = srv->addr;
		sslen = srv->addrlen;
	} else if (server_resolve(name, &ss, &sslen, &ttl, &why) < 0) {
		if (drop_log())
			log_warnx("sntp: %s: %s", name, why);
		request_failed();
		return;
	} else {
		srv->addr = ss;
		srv->addrlen = sslen;
		srv->until_ms = ttl == UINT32_MAX ? INT64_MAX : now_ms() + scaled_ms(ttl);
	}
	st.fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (st.fd < 0 || connect(st.fd, (struct sockaddr *)&ss, sslen) < 0) {
		if (drop_log())
			log_warn("sntp: %s: connect", name);
		request_failed();
		return;
	}
	st.sent_xmt = random64();
	sntp_build_request(pkt, sizeof(pkt), st.sent_xmt);
	st.t1 = wall_ntp();
	if (send(st.fd, pkt, sizeof(pkt), 0) != (ssize_t)sizeof(pkt)) {
		if (drop_log())
			log_warn("sntp: %s: send", name);
		request_failed();
		return;
	}
	st.asked_ms = now_ms();
	st.next_ms = st.asked_ms + SNTP_TIMEOUT_MS / (st.time_div > 8 ? 8 : st.time_div);
}

static void signal_ready(void)
{
	if (st.ready_fd < 0)
		return;
	(void)!write(st.ready_fd, "\n", 1);
	close(st.ready_fd);
	st.ready_fd = -1;
}

/* A good answer: set or slew the clock, or only report it. */
static void apply_offset(const char *name, int64_t offset, int64_t delay)
{
	char a[24], b[24];
	struct timespec ts;
	struct timex tx;
	int first = !st.synced;

	if (st.no_set) {
		log_info("Time: offset %s s from %s (delay %s s); not set (--no-set)",
			 fmt_secs(offset, a, sizeof(a)), name, fmt_secs(delay, b, sizeof(b)));
	} else if (offset > SNTP_STEP_NS || offset < -SNTP_STEP_NS) {
		/* the offset from now, not from when the answer came: the
		 * microseconds in between are in both clocks alike */
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += (time_t)(offset / 1000000000);
		ts.tv_nsec += (long)(offset % 1000000000);
		if (ts.tv_nsec < 0) {
			ts.tv_nsec += 1000000000;
			ts.tv_sec--;
		} else if (ts.tv_nsec >= 1000000000) {
			ts.tv_nsec -= 1000000000;
			ts.tv_sec++;
		}
		if (clock_settime(CLOCK_REALTIME, &ts) < 0) {
			log_warn("sntp: set the clock");
			return;
		}
		log_info("Time: set from %s, was off by %s s", name, fmt_secs(offset, a, sizeof(a)));
	} else {
		/* The old adjtime(2): slewed at 0.5 ms a second, no PLL. */
		memset(&tx, 0, sizeof(tx));
		tx.modes = ADJ_OFFSET_SINGLESHOT;
		tx.offset = (long)(offset / 1000);
		if (adjtimex(&tx) < 0) {
			log_warn("sntp: adjtimex");
			return;
		}
		if (first)
			log_info("Time: synchronised with %s, off by %s s: slewing", name,
				 fmt_secs(offset, a, sizeof(a)));
	}
	st.synced = 1;
	clock_save();
	signal_ready();
}

static void request_read(void)
{
	uint8_t buf[SNTP_PKT_LEN + 64];
	struct sntp_reply r;
	enum sntp_kiss kiss;
	enum sntp_verdict v;
	struct timespec ts;
	const char *why, *name = st.srv[st.cur].name;
	int64_t offset, delay;
	uint64_t t4;
	ssize_t n;

	n = recv(st.fd, buf, sizeof(buf), 0);
	t4 = wall_ntp();
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		/* ICMP port unreachable and the like: no server there */
		if (drop_log())
			log_warn("sntp: %s", name);
		request_failed();
		return;
	}
	v = sntp_check_reply(buf, (size_t)n, st.sent_xmt, &r, &kiss, &why);
	if (v == SNTP_BAD) {
		/* a forged or broken reply must not end the wait for the real one */
		if (drop_log())
			log_warnx("sntp: reply from %s refused: %s", name, why);
		return;
	}
	if (v == SNTP_KOD) {
		/* RFC 5905 7.4, RFC 4330 8 */
		if (kiss == SNTP_KISS_DENY) {
			log_warnx("sntp: %s sent kiss-o'-death %.4s: not asking it again", name,
				  (const char *)r.refid);
			st.srv[st.cur].denied = 1;
			if (next_server(st.cur) < 0)
				log_warnx("sntp: every server refused us: not polling");
		} else if (kiss == SNTP_KISS_RATE) {
			log_warnx("sntp: %s sent kiss-o'-death RATE: polling less often", name);
			if (st.interval_s < SNTP_POLL_MIN_S)
				st.interval_s = SNTP_POLL_MIN_S / 2;
		} else {
			log_warnx("sntp: %s sent kiss-o'-death %.4s: no answer", name,
				  (const char *)r.refid);
		}
		request_failed();
		return;
	}
	sntp_offset(&r, st.t1, t4, &offset, &delay);
	close_request();
	st.answers++;
	snprintf(st.last_server, sizeof(st.last_server), "%s", name);
	st.last_offset_ns = offset;
	st.last_delay_ns = delay;
	apply_offset(name, offset, delay);
	clock_gettime(CLOCK_REALTIME, &ts);
	st.last_sync_unix = ts.tv_sec;
	/* RFC 4330 10: poll no more often than needed; double up to maxpoll. */
	st.interval_s = st.interval_s < SNTP_POLL_MIN_S ? SNTP_POLL_MIN_S :
			st.interval_s >= SNTP_POLL_MAX_S ? SNTP_POLL_MAX_S : st.interval_s * 2;
	st.next_ms = now_ms() + scaled_ms(st.interval_s);
	write_status();
}

/* ---- set-up --------------------------------------------------------------------- */

/* Keep CAP_SYS_TIME only (none with --no-set), in every set, and no way
 * to gain more: as dhcp.c does for its own (EPERM from PR_CAPBSET_DROP
 * without CAP_SETPCAP is expected under PID 1, which narrowed it). */
static int drop_privileges(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
	uint32_t keep = st.no_set ? 0 : CAP_TO_MASK(CAP_SYS_TIME);
	int cap, in, setpcap;

	if (syscall(SYS_capget, &h, d) < 0)
		return -1;
	setpcap = (d[CAP_TO_INDEX(CAP_SETPCAP)].effective & CAP_TO_MASK(CAP_SETPCAP)) != 0;
	for (cap = 0; (in = prctl(PR_CAPBSET_READ, cap, 0, 0, 0)) >= 0; cap++) {
		if (!in || (cap == CAP_SYS_TIME && keep))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && (errno != EPERM || setpcap))
			return -1;
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		return -1;
	memset(d, 0, sizeof(d));
	d[0].effective = d[0].permitted = keep;
	if (syscall(SYS_capset, &h, d) < 0)
		return -1;
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

static int parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	const char *p = s;

	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (max - (unsigned long)(*p - '0')) / 10)
			return -1;
		v = v * 10 + (unsigned long)(*p - '0');
	}
	if (p == s || *p || v < min)
		return -1;
	*out = v;
	return 0;
}

static void usage(void)
{
	log_warnx("usage: init sntp [--servers a,b] [--no-set] [--ready-fd FD] "
		  "[--ntp-file PATH] [--status PATH] [--resolv-conf PATH] [--test-time-div N]");
}

int sntp_main(int argc, char **argv)
{
	const char *servers = NULL, *state_dir;
	unsigned long v;
	sigset_t set;
	int i;

	st.fd = st.ready_fd = -1;
	st.ntp_file = SNTP_NTP_FILE;
	st.status_file = SNTP_STATUS_FILE;
	st.time_div = 1;
	for (i = 1; i < argc; i++) {
		if (i + 1 < argc && strcmp(argv[i], "--servers") == 0)
			servers = argv[++i];
		else if (strcmp(argv[i], "--no-set") == 0)
			st.no_set = 1;
		else if (i + 1 < argc && strcmp(argv[i], "--ready-fd") == 0 &&
			 parse_uint(argv[i + 1], SNTP_READY_FD_MIN, INT_MAX, &v) == 0)
			st.ready_fd = (int)v, i++;
		else if (i + 1 < argc && strcmp(argv[i], "--ntp-file") == 0)
			st.ntp_file = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--resolv-conf") == 0)
			st.resolv_conf = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--status") == 0)
			st.status_file = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--test-time-div") == 0 &&
			 parse_uint(argv[i + 1], 1, SNTP_TIME_DIV_MAX, &v) == 0)
			st.time_div = (unsigned)v, i++;
		else {
			usage();
			return 2;
		}
	}
	/* Test only: shorter intervals. Never under PID 1. */
	if (getpid() == 1 || getppid() == 1) {
		st.time_div = 1;
		st.resolv_conf = NULL;
	}
	state_dir = getenv("STATE_DIRECTORY");
	if (state_dir && *state_dir &&
	    snprintf(st.clock_file, sizeof(st.clock_file), "%s/%s", state_dir, SNTP_CLOCK_FILE) >=
	    (int)sizeof(st.clock_file))
		st.clock_file[0] = '\0';

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	st.sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (st.sfd < 0) {
		log_warn("sntp: signalfd");
		return 1;
	}
	if (drop_privileges() < 0) {
		log_warn("sntp: dropping privileges");
		return 1;
	}
	if (st.time_div > 1)
		log_info("sntp: test mode: intervals divided by %u", st.time_div);
	clock_restore();
	st.status_len = 0;
	if (servers) {
		st.fixed = 1;
		servers_set(servers, strlen(servers));
		if (st.nsrv == 0)
			st.fixed = 0;	/* an empty list: DHCP's, then */
	}
	if (!st.fixed) {
		st.list[0] = 'x';	/* differs from any file: the first read reports */
		servers_reload();
	}
	write_status();

	for (;;) {
		struct signalfd_siginfo si;
		struct pollfd pfds[2];
		int64_t now = now_ms(), wait;
		nfds_t n = 0;

		if (st.fd >= 0 && now >= st.next_ms) {
			if (drop_log())
				log_warnx("sntp: no answer from %s", st.srv[st.cur].name);
			request_failed();
			continue;
		}
		if (st.fd < 0 && st.nsrv == 0) {
			servers_reload();
			if (st.nsrv == 0)
				st.next_ms = now + SNTP_NOSERVER_MS / st.time_div;
			write_status();
		} else if (st.fd < 0 && now >= st.next_ms) {
			servers_reload();
			if (st.nsrv) {
				request_send();
				continue;
			}
		}
		wait = st.next_ms - now_ms();
		pfds[n].fd = st.sfd;
		pfds[n++].events = POLLIN;
		if (st.fd >= 0) {
			pfds[n].fd = st.fd;
			pfds[n++].events = POLLIN;
		}
		if (poll(pfds, n, wait < 0 ? 0 : wait > 86400000 ? 86400000 : (int)wait) < 0) {
			if (errno != EINTR)
				log_warn("sntp: poll");
			continue;
		}
		if ((pfds[0].revents & POLLIN) && read(st.sfd, &si, sizeof(si)) == sizeof(si)) {
			log_info("sntp: signal %u: stopping", si.ssi_signo);
			clock_save();
			return 0;
		}
		if (n > 1 && (pfds[1].revents & (POLLIN | POLLERR)))
			request_read();
	}
}
