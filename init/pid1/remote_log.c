/* remote_log.c - syslog over UDP from PID 1.
 *
 * Each line is formatted at once (its timestamp is when it was written)
 * into a slot of a fixed ring of REMOTE_LOG_QUEUE_MAX messages, and the
 * ring is sent from there with MSG_DONTWAIT on one connected UDP socket:
 * at most REMOTE_LOG_RATE_MAX a second, so that a flooding service
 * cannot flood the network too. A full ring drops the new message and
 * counts it; the count goes to the console (":: syslog: N messages
 * dropped"), to the receiver and to the status file within
 * REMOTE_LOG_REPORT_MS. No route yet (the lease not there) keeps the
 * messages and tries again every REMOTE_LOG_RETRY_MS, so that the boot's
 * lines arrive too (the first REMOTE_LOG_QUEUE_MAX of them).
 *
 * A target given by name is resolved by a child, `init resolve NAME`
 * (uid CONFIG_SNTP_UID, no capabilities, no_new_privs), which writes one
 * address line to a pipe: PID 1 reads DNS answers never, and of the line
 * only an address, through inet_pton, within a length bound. Meanwhile
 * lines stay queued. A failure (before the lease there is no nameserver)
 * tries again after REMOTE_LOG_RESOLVE_MIN_MS, doubling to
 * REMOTE_LOG_RESOLVE_MAX_MS, with console lines at the 1st, 2nd, 4th, 8th
 * ... failure only; a resolved name is resolved again every
 * REMOTE_LOG_RERESOLVE_MS. A resolver stuck beyond
 * REMOTE_LOG_RESOLVE_TIMEOUT_MS is killed. */
#include "pid1/remote_log.h"
#include "lib/log.h"
#include "pid1/loop.h"
#include "pure/config.h"
#include "pure/syslog_fmt.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define RL_NAME_MAX 253	/* RFC 1035 2.3.4, as text */

enum { RL_PENDING, RL_ON, RL_OFF };

static struct {
	int state, fd, busy, connected;
	struct sockaddr_storage ss;
	socklen_t sslen;
	char slot[REMOTE_LOG_QUEUE_MAX][SYSLOG_MSG_MAX];
	unsigned short len[REMOTE_LOG_QUEUE_MAX];
	unsigned head, count;
	int64_t window_ms;
	unsigned window_sent;
	unsigned long sent, dropped, dropped_reported;
	char host[SYSLOG_HOSTNAME_MAX + 1];
	char target[64];
	const char *status;
	struct loop_timer timer;	/* retry, rate window, drop report */
	int warned;
	/* a target by name */
	char name[RL_NAME_MAX + 1];
	uint16_t port;
	pid_t rpid;		/* the resolver running, or 0 */
	int rfd;		/* its pipe */
	char rbuf[INET6_ADDRSTRLEN + 2];
	size_t rlen;
	unsigned rfails;
	int64_t rbackoff_ms;
	struct loop_timer rtimer;	/* next resolution, or the resolver's deadline */
} rl;	/* all zero, in .bss: RL_PENDING; fd set in remote_log_init */

static void rl_resolve_start(void);
static void rl_on_resolve_fd(int fd, uint32_t events, void *arg);
static void rl_on_resolve_timer(struct loop_timer *t);
static void rl_flush(void);

static void rl_on_log(int severity, const char *line, size_t len)
{
	remote_log_line(severity, REMOTE_LOG_APP, getpid(), line, len);
}

static void rl_write_status(void)
{
	char text[256], tmp[64];
	int n, fd;

	if (!rl.status)
		return;
	n = snprintf(text, sizeof(text), "# written by minilinux PID 1\ntarget=%s\nsent=%lu\n"
		     "dropped=%lu\nqueued=%u\n", rl.target, rl.sent, rl.dropped, rl.count);
	snprintf(tmp, sizeof(tmp), "%s.tmp", rl.status);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (write(fd, text, (size_t)n) != n || close(fd) < 0 || rename(tmp, rl.status) < 0)
		unlink(tmp);
}

static void rl_arm(int64_t ms)
{
	if (!rl.timer.armed || rl.timer.deadline_ms > loop_now_ms() + ms)
		loop_timer_arm(&rl.timer, ms);
}

static void rl_flush(void)
{
	int64_t now = loop_now_ms();
	ssize_t n;
	unsigned i;

	if (rl.state != RL_ON || rl.busy)
		return;
	/* UDP connect() needs a route: before the lease there is none */
	if (!rl.connected) {
		if (connect(rl.fd, (struct sockaddr *)&rl.ss, rl.sslen) < 0) {
			if (errno == ENETUNREACH || errno == EHOSTUNREACH || errno == ENETDOWN ||
			    errno == EADDRNOTAVAIL || errno == EINTR) {
				rl_arm(REMOTE_LOG_RETRY_MS);
				return;
			}
			log_warn("syslog: %s: not sending logs", rl.target);
			rl.state = RL_OFF;
			rl.count = 0;
			return;
		}
		rl.connected = 1;
	}
	rl.busy = 1;
	if (now - rl.window_ms >= 1000) {
		rl.window_ms = now;
		rl.window_sent = 0;
	}
	while (rl.count) {
		if (rl.window_sent >= REMOTE_LOG_RATE_MAX) {
			rl_arm(rl.window_ms + 1000 - now);
			break;
		}
		i = rl.head;
		n = send(rl.fd, rl.slot[i], rl.len[i], MSG_DONTWAIT | MSG_NOSIGNAL);
		/* An ICMP error for an earlier datagram comes back on this
		 * send, which then sent nothing: once more. */
		if (n < 0 && errno == ECONNREFUSED)
			n = send(rl.fd, rl.slot[i], rl.len[i], MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == ENOBUFS || errno == ENETUNREACH ||
			      errno == EHOSTUNREACH || errno == ENETDOWN || errno == EINVAL)) {
			/* full, or no route yet: keep the messages, later */
			rl_arm(REMOTE_LOG_RETRY_MS);
			break;
		}
		if (n < 0) {
			if (!rl.warned++)
				log_warn("syslog: send to %s", rl.target);
			rl.dropped++;
			rl_arm(REMOTE_LOG_REPORT_MS);
		} else {
			rl.sent++;
			rl.window_sent++;
		}
		rl.head = (rl.head + 1) % REMOTE_LOG_QUEUE_MAX;
		rl.count--;
	}
	rl.busy = 0;
}

static void rl_on_timer(struct loop_timer *t)
{
	unsigned long n = rl.dropped - rl.dropped_reported;

	(void)t;
	if (n) {
		rl.dropped_reported = rl.dropped;
		/* a line of PID 1's: on the console and, queued, to the receiver */
		log_warnx("syslog: %lu messages dropped (%lu in all)", n, rl.dropped);
		rl_write_status();
	}
	rl_flush();
}

void remote_log_init(void)
{
	rl.fd = -1;
	rl.rfd = -1;
	rl.timer.fn = rl_on_timer;
	rl.timer.slot = -1;
	rl.rtimer.fn = rl_on_resolve_timer;
	rl.rtimer.slot = -1;
	log_hook = rl_on_log;
}

void remote_log_line(int severity, const char *app, pid_t pid, const char *msg, size_t len)
{
	struct syslog_msg m;
	struct timespec ts;
	char procid[16];
	unsigned i;

	if (rl.state == RL_OFF)
		return;
	if (rl.count == REMOTE_LOG_QUEUE_MAX) {
		rl.dropped++;
		if (rl.state == RL_ON)
			rl_arm(REMOTE_LOG_REPORT_MS);
		return;
	}
	/* our own roles speak the console's ":: " format: the message only */
	if (len >= 3 && memcmp(msg, ":: ", 3) == 0) {
		msg += 3;
		len -= 3;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(procid, sizeof(procid), "%d", (int)pid);
	memset(&m, 0, sizeof(m));
	m.facility = SYSLOG_FAC_DAEMON;
	m.severity = severity;
	m.sec = ts.tv_sec;
	m.usec = ts.tv_nsec / 1000;
	m.tzoff_min = 0;	/* no zone database in the image: UTC */
	m.host = rl.host;
	m.app = app;
	m.procid = procid;
	m.msg = msg;
	m.msglen = len;
	i = (rl.head + rl.count) % REMOTE_LOG_QUEUE_MAX;
	rl.len[i] = (unsigned short)syslog_format(rl.slot[i], SYSLOG_MSG_MAX, &m);
	rl.count++;
	rl_flush();
}

/* A host name: RFC 1123 2.1 characters ('_' too, seen in use), labels of
 * 1-63 bytes, at most RL_NAME_MAX (RFC 1035 2.3.4); a final dot allowed. */
static int rl_is_name(const char *h)
{
	size_t i, lab = 0;

	for (i = 0; h[i]; i++) {
		if (h[i] == '.') {
			if (lab == 0)
				return 0;
			lab = 0;
		} else if ((h[i] >= 'a' && h[i] <= 'z') || (h[i] >= 'A' && h[i] <= 'Z') ||
			   (h[i] >= '0' && h[i] <= '9') || h[i] == '-' || h[i] == '_') {
			if (++lab > 63)
				return 0;
		} else {
			return 0;
		}
	}
	return i > 0 && i <= RL_NAME_MAX;
}

/* "a.b.c.d:port", "[v6]:port" into SS: 0; "name:port" into rl.name and
 * rl.port: 1; or -1 with WHY. */
static int rl_parse_target(const char *t, struct sockaddr_storage *ss, socklen_t *sl,
			   const char **why)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	char host[RL_NAME_MAX + 1];
	const char *colon, *p;
	size_t hl;
	long port = 0;

	memset(ss, 0, sizeof(*ss));
	if (t[0] == '[') {
		p = strchr(t, ']');
		if (!p || p[1] != ':')
			goto bad;
		hl = (size_t)(p - t - 1);
		colon = p + 1;
		t++;
	} else {
		colon = strrchr(t, ':');
		if (!colon)
			goto bad;
		hl = (size_t)(colon - t);
	}
	if (hl == 0 || hl >= sizeof(host))
		goto bad;
	memcpy(host, t, hl);
	host[hl] = '\0';
	for (p = colon + 1; *p >= '0' && *p <= '9' && port <= 65535; p++)
		port = port * 10 + (*p - '0');
	if (p == colon + 1 || *p || port == 0 || port > 65535)
		goto bad;
	if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		*sl = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		*sl = sizeof(*s6);
		return 0;
	}
	if (rl_is_name(host)) {
		memcpy(rl.name, host, hl + 1);
		rl.port = (uint16_t)port;
		return 1;
	}
	*why = "not an IP address or a host name";
	return -1;
bad:
	*why = "not HOST:PORT (an IPv4 address, or [IPv6], and a port 1-65535)";
	return -1;
}

/* ---- a target by name ------------------------------------------------------ */

static void rl_resolve_start(void)
{
	static const char *const envp[] = { "PATH=/", NULL };
	const char *argv[6], *conf = getpid() == 1 ? NULL : getenv("MINILINUX_RESOLV_CONF");
	int p[2], n = 0, fd;
	sigset_t none;
	pid_t pid;

	argv[n++] = "init";
	argv[n++] = "resolve";
	if (conf && *conf) {	/* tests only (the host supervisor) */
		argv[n++] = "--resolv-conf";
		argv[n++] = conf;
	}
	argv[n++] = rl.name;
	argv[n] = NULL;
	rl.rlen = 0;
	if (pipe2(p, O_CLOEXEC) < 0) {
		log_warn("syslog: resolver pipe");
		loop_timer_arm(&rl.rtimer, rl.rbackoff_ms);
		return;
	}
	pid = fork();
	if (pid == 0) {
		/* the child: stdout the pipe; stderr (its reason) on the
		 * console only when PID 1 reports this failure too */
		dup2(p[1], STDOUT_FILENO);
		if ((rl.rfails + 1) & rl.rfails) {
			fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
			if (fd >= 0)
				dup2(fd, STDERR_FILENO);
		}
		if (geteuid() == 0 &&
		    (setgroups(0, NULL) < 0 || setgid(CONFIG_SNTP_UID) < 0 ||
		     setuid(CONFIG_SNTP_UID) < 0))
			_exit(127);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			_exit(127);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execve("/proc/self/exe", (char *const *)argv, (char *const *)envp);
		_exit(127);
	}
	close(p[1]);
	if (pid < 0) {
		log_warn("syslog: resolver fork");
		close(p[0]);
		loop_timer_arm(&rl.rtimer, rl.rbackoff_ms);
		return;
	}
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	if (loop_add_fd(p[0], EPOLLIN, rl_on_resolve_fd, NULL) < 0) {
		log_warn("syslog: resolver pipe");
		close(p[0]);
		kill(pid, SIGKILL);	/* reaped with the others */
		loop_timer_arm(&rl.rtimer, rl.rbackoff_ms);
		return;
	}
	rl.rpid = pid;
	rl.rfd = p[0];
	loop_timer_arm(&rl.rtimer, REMOTE_LOG_RESOLVE_TIMEOUT_MS);
}

/* The resolver's line: "ADDR\n", ADDR IPv4 or IPv6, nothing else. */
static int rl_resolve_parse(struct sockaddr_storage *ss, socklen_t *sl)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	char a[INET6_ADDRSTRLEN + 1];

	if (rl.rlen < 2 || rl.rlen > INET6_ADDRSTRLEN || rl.rbuf[rl.rlen - 1] != '\n')
		return -1;
	memcpy(a, rl.rbuf, rl.rlen - 1);
	a[rl.rlen - 1] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, a, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(rl.port);
		*sl = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, a, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(rl.port);
		*sl = sizeof(*s6);
		return 0;
	}
	return -1;
}

static void rl_resolve_done(void)
{
	struct sockaddr_storage ss;
	socklen_t sl = 0;

	loop_del_fd(rl.rfd);
	close(rl.rfd);
	rl.rfd = -1;
	rl.rpid = 0;	/* reaped by svc_reap with the strays */
	if (rl_resolve_parse(&ss, &sl) < 0) {
		rl.rfails++;
		if ((rl.rfails & (rl.rfails - 1)) == 0)
			log_warnx("syslog: %s not resolved (try %u); trying again in %lld s%s",
				  rl.name, rl.rfails, (long long)rl.rbackoff_ms / 1000,
				  rl.state == RL_ON ? " (sending to the old address meanwhile)" : "");
		loop_timer_arm(&rl.rtimer, rl.rbackoff_ms);
		rl.rbackoff_ms *= 2;
		if (rl.rbackoff_ms > REMOTE_LOG_RESOLVE_MAX_MS)
			rl.rbackoff_ms = REMOTE_LOG_RESOLVE_MAX_MS;
		return;
	}
	rl.rfails = 0;
	rl.rbackoff_ms = REMOTE_LOG_RESOLVE_MIN_MS;
	loop_timer_arm(&rl.rtimer, REMOTE_LOG_RERESOLVE_MS);
	if (rl.fd >= 0 && sl == rl.sslen && memcmp(&ss, &rl.ss, sl) == 0)
		return;	/* the same address */
	rl.rlen--;
	rl.rbuf[rl.rlen] = '\0';
	if (rl.fd >= 0)
		close(rl.fd);
	rl.ss = ss;
	rl.sslen = sl;
	rl.connected = 0;
	rl.fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (rl.fd < 0) {
		log_warn("syslog: %s", rl.target);
		rl.state = RL_OFF;
		rl.count = 0;
		return;
	}
	rl.state = RL_ON;
	log_info("syslog: %s resolved to %s", rl.name, rl.rbuf);
	rl_flush();
}

static void rl_on_resolve_fd(int fd, uint32_t events, void *arg)
{
	ssize_t n;

	(void)events;
	(void)arg;
	for (;;) {
		if (rl.rlen == sizeof(rl.rbuf)) {	/* too long: not an address */
			rl_resolve_done();
			return;
		}
		n = read(fd, rl.rbuf + rl.rlen, sizeof(rl.rbuf) - rl.rlen);
		if (n > 0) {
			rl.rlen += (size_t)n;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		rl_resolve_done();	/* EOF (the resolver exited) or an error */
		return;
	}
}

static void rl_on_resolve_timer(struct loop_timer *t)
{
	(void)t;
	if (rl.rpid > 0) {
		/* stuck: killed; its pipe's EOF ends it as a failure */
		kill(rl.rpid, SIGKILL);
		rl.rlen = 0;
		return;
	}
	rl_resolve_start();
}

/* The lines queued before the host name was known carry "-" there
 * (RFC 5424 NILVALUE): put the name in, cutting their ends if need be. */
static void rl_fill_host(void)
{
	char tmp[SYSLOG_MSG_MAX];
	size_t hl = strlen(rl.host), a, n;
	unsigned k, i;
	char *p, *b;

	for (k = 0; hl && k < rl.count; k++) {
		i = (rl.head + k) % REMOTE_LOG_QUEUE_MAX;
		p = rl.slot[i];
		n = rl.len[i];
		/* "<PRI>1 TIMESTAMP - ...": the host is after the second space */
		b = memchr(p, ' ', n);
		b = b ? memchr(b + 1, ' ', n - (size_t)(b + 1 - p)) : NULL;
		if (!b || (size_t)(b - p) + 3 > n || b[1] != '-' || b[2] != ' ')
			continue;
		a = (size_t)(b + 1 - p);
		memcpy(tmp, p, a);
		memcpy(tmp + a, rl.host, hl);
		n = n - a - 1;	/* what follows the "-" */
		if (a + hl + n > SYSLOG_MSG_MAX)
			n = SYSLOG_MSG_MAX - a - hl;
		memcpy(tmp + a + hl, b + 2, n);
		memcpy(p, tmp, a + hl + n);
		rl.len[i] = (unsigned short)(a + hl + n);
	}
}

int remote_log_open(const char *target, const char *status)
{
	const char *why = "";
	int rc;

	if (!target || !*target) {
		rl.state = RL_OFF;
		rl.count = 0;
		log_hook = NULL;
		return 0;
	}
	snprintf(rl.target, sizeof(rl.target), "%s", target);
	if (gethostname(rl.host, sizeof(rl.host) - 1) < 0)
		rl.host[0] = '\0';
	rl_fill_host();
	rc = rl_parse_target(target, &rl.ss, &rl.sslen, &why);
	if (rc < 0) {
		rl.state = RL_OFF;	/* first: the line below is not queued */
		rl.count = 0;
		log_hook = NULL;
		log_warnx("syslog: %s: %s; not sending logs", target, why);
		return -1;
	}
	if (status) {
		if (mkdir("/run/syslog", 0755) < 0 && errno != EEXIST)
			log_warn("mkdir /run/syslog");
		rl.status = status;
	}
	if (rc == 1) {
		/* RL_PENDING: lines are queued until the name is resolved */
		log_info("syslog: sending to %s once %s is resolved (RFC 5424 over UDP)", target,
			 rl.name);
		rl.rbackoff_ms = REMOTE_LOG_RESOLVE_MIN_MS;
		rl_write_status();
		rl_resolve_start();
		return 0;
	}
	rl.fd = socket(rl.ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (rl.fd < 0) {
		rl.state = RL_OFF;
		rl.count = 0;
		log_hook = NULL;
		log_warn("syslog: %s", target);
		return -1;
	}
	rl.state = RL_ON;
	if (rl.dropped)
		rl_arm(REMOTE_LOG_REPORT_MS);
	log_info("syslog: sending to %s (RFC 5424 over UDP)", target);
	rl_write_status();
	rl_flush();
	return 0;
}
