/* control.c - PID 1 answers the admin role (control.h has the protocol).
 *
 * The role reads untrusted network input; a bug there must not grow into
 * more than these verbs. So the request is matched exactly against a
 * short list, a name must be one PID 1 supervises, and an answer that
 * would block is dropped (the role times out): PID 1 never waits on it. */
#include "pid1/control.h"
#include "lib/log.h"
#include "pid1/loop.h"
#include "pid1/supervise.h"
#include "pure/log_ring.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *control_version = "unknown";
static void (*control_reboot)(void), (*control_poweroff)(void);
static char control_reply[CONTROL_REPLY_MAX];

static size_t control_put(size_t n, const char *s)
{
	size_t len = strlen(s);

	if (n + len > sizeof(control_reply))
		len = sizeof(control_reply) - n;
	memcpy(control_reply + n, s, len);
	return n + len;
}

static size_t control_status(void)
{
	char line[160];
	struct svc_info si;
	size_t n;
	int i;

	n = control_put(0, "ok\nversion ");
	n = control_put(n, control_version);
	n = control_put(n, "\n");
	for (i = 0; svc_info_get(i, &si) == 0; i++) {
		snprintf(line, sizeof(line), "svc %s %s %d %u %lld %s\n", si.name, si.state,
			 (int)si.pid, si.restarts, (long long)si.uptime_ms, si.last_exit);
		n = control_put(n, line);
	}
	return n;
}

/* "VERB" or "VERB NAME": NAME is what follows one space, to the end. */
static const char *control_arg(const char *req, const char *verb)
{
	size_t len = strlen(verb);

	if (strncmp(req, verb, len) != 0 || req[len] != ' ' || !req[len + 1])
		return NULL;
	return req + len + 1;
}

/* The reboot or power-off asked for, run once the answer is sent. */
static void (*control_after)(void);

static size_t control_handle(const char *req)
{
	const struct log_ring *ring;
	const char *name;
	int i;

	if (strcmp(req, "status") == 0)
		return control_status();
	if ((name = control_arg(req, "log"))) {
		if (!(ring = svc_log(name)))
			return control_put(0, "err no such service\n");
		memcpy(control_reply, "ok\n", 3);
		return 3 + log_ring_copy(ring, control_reply + 3, sizeof(control_reply) - 3);
	}
	if ((name = control_arg(req, "restart"))) {
		if ((i = svc_index(name)) < 0)
			return control_put(0, "err no such service\n");
		log_info("admin API: restart %s", name);
		if (svc_restart(i) < 0)
			return control_put(0, errno == EBUSY ? "err busy: stopping, or waiting for the network\n"
							       : "err cannot restart\n");
		return control_put(0, "ok\n");
	}
	if (strcmp(req, "reboot") == 0 || strcmp(req, "poweroff") == 0) {
		log_info("admin API: %s", req);
		/* After the answer: stopping the services SIGTERMs the role. */
		control_after = req[0] == 'r' ? control_reboot : control_poweroff;
		return control_put(0, "ok\n");
	}
	return control_put(0, "err unknown request\n");
}

static void control_on_fd(int fd, uint32_t events, void *arg)
{
	char req[CONTROL_REQUEST_MAX + 1];
	size_t i, out;
	ssize_t n;

	(void)arg;
	if (events & (EPOLLHUP | EPOLLERR) && !(events & EPOLLIN))
		return;	/* no role now; the next instance gets this end again */
	n = recv(fd, req, sizeof(req), MSG_DONTWAIT | MSG_TRUNC);
	if (n <= 0)
		return;
	if ((size_t)n > CONTROL_REQUEST_MAX) {
		out = control_put(0, "err request too long\n");
	} else {
		req[n] = '\0';
		for (i = 0; i < (size_t)n; i++)
			if (req[i] < 0x20 || req[i] > 0x7e)
				break;
		out = i < (size_t)n ? control_put(0, "err bad request\n") : control_handle(req);
	}
	if (send(fd, control_reply, out, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 && errno != EAGAIN)
		log_warn("admin control: send");
	if (control_after) {
		void (*fn)(void) = control_after;

		control_after = NULL;
		fn();
	}
}

int control_open(const char *version, void (*reboot_fn)(void), void (*poweroff_fn)(void))
{
	int sv[2];

	control_version = version;
	control_reboot = reboot_fn;
	control_poweroff = poweroff_fn;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, sv) < 0) {
		log_warn("admin control: socketpair");
		return -1;
	}
	if (loop_add_fd(sv[0], EPOLLIN, control_on_fd, NULL) < 0) {
		log_warn("admin control: watch");
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	return sv[1];
}
