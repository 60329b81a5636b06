/* supervise.c - the service table.
 *
 * Every service is one row with a state; events (spawned, exited, backoff
 * timer, stop request, grace timer, stop deadline) move it between states:
 *
 *   WAITING --network up--> RUNNING
 *   STOPPED --start-------> RUNNING --exit--> BACKOFF --timer--> RUNNING
 *                              |                 |
 *                            stop              stop
 *                              v                 v
 *                           STOPPING --exit--> DONE
 *                                    --deadline or now (SIGKILL)-->
 *
 * (restart=never, a clean exit with restart=on-failure, and exit status 125
 * also end in DONE; so do WAITING and STOPPED on stop.) Storage is the
 * fixed table; nothing is allocated.
 *
 * Stop: the request moves every row that is not running (BACKOFF, WAITING,
 * STOPPED) to DONE at once, so that nothing starts again; the running
 * ones get SIGTERM one at a time in reverse order, each once the one
 * before it has exited. The grace period is one deadline for the whole
 * stop, not per service: whatever runs when it passes gets SIGKILL (a
 * service reached after it gets SIGTERM and SIGKILL at once). A second
 * deadline, SVC_STOP_MARGIN_MS later, bounds the wait for the killed (a
 * process stuck in the kernel may never exit): then, or on svc_stop_now(),
 * every row is DONE, the rest is SIGKILLed and DONE runs without waiting.
 *
 * Output: each service's stdout and stderr are two pipes that PID 1 reads
 * at most SVC_LOG_READ_BUDGET bytes of each per wake-up, so that one flooding
 * service cannot keep the loop from the other events; at exit at most
 * SVC_LOG_DRAIN_MAX more. Every line goes into the service's ring; the
 * console gets a line only while the service is within its byte budget
 * (SVC_CONSOLE_BYTES_PER_S) and all services together within theirs
 * (SVC_CONSOLE_TOTAL_BYTES_PER_S). */
#include "pid1/supervise.h"
#include "lib/log.h"
#include "pure/log_ring.h"
#include "pure/signame.h"
#include "pid1/loop.h"
#include "pid1/remote_log.h"
#include "pure/syslog_fmt.h"
#include "pid1/storage.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum svc_state { SVC_STOPPED, SVC_WAITING, SVC_RUNNING, SVC_BACKOFF, SVC_STOPPING, SVC_DONE };

/* One output pipe of a service: its stdout (SVC_OUT) or stderr (SVC_ERR),
 * read line by line. */
enum { SVC_OUT, SVC_ERR };
struct svc_stream {
	struct svc *svc;
	int fd;			/* read end of the pipe, or -1 */
	size_t line_len;
	char line[SVC_LINE_MAX];
};

struct svc {
	const struct svc_config *cfg;
	unsigned flags;
	enum svc_state state;
	pid_t pid;
	int ready;		/* reported ready at least once */
	unsigned exits;		/* exits not asked for, since boot */
	int failed;		/* the last exit was not a clean one */
	int ready_fd;		/* read end of the readiness pipe, or -1 */
	struct svc_stream out[2];	/* stdout, stderr */
	int64_t started_ms;
	int64_t backoff_ms;
	struct loop_timer timer;	/* backoff, or the stop grace period */
	int64_t burst_start_ms;	/* console byte budget window */
	unsigned burst_bytes, suppressed;
	struct loop_timer burst_timer;	/* reports what was suppressed */
	struct log_ring ring;
	int control_fd;		/* given to the child as SVC_CONTROL_FD, or -1 */
	unsigned starts;	/* instances started */
	int restart_req;	/* start again at once when this instance exits */
	int last_failed;	/* the last instance failed (not stopped by us) */
	char last_exit[SVC_EXIT_DESC_MAX];
};

static struct svc svc_table[SVC_MAX];
static int svc_count;
static void (*svc_ready_fn)(void);
static void (*svc_each_ready_fn)(const char *name);
static int svc_ready_reported;
static int svc_network_up;
static int svc_stopping;	/* shutdown in progress */
static int svc_stop_index;	/* next service to stop, counting down */
static int64_t svc_grace_ms;
static int64_t svc_grace_end_ms;	/* the whole stop's grace deadline */
static struct loop_timer svc_deadline_timer;	/* grace + SVC_STOP_MARGIN_MS */
static void (*svc_stop_done)(void);
/* All services' console lines, in one window of a second. */
static int64_t svc_console_start_ms;
static unsigned svc_console_bytes;

static void svc_spawn(struct svc *s);
static void svc_on_timer(struct loop_timer *t);
static void svc_stop_next(void);
static void svc_on_burst_timer(struct loop_timer *t);

void svc_config_builtin(struct svc_config *c, const char *name, const char *role, unsigned uid,
			uint64_t caps)
{
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->argc = 0;
	c->argv[c->argc++] = role;
	c->builtin = 1;
	c->restart = CONFIG_RESTART_ALWAYS;
	c->uid = uid;
	c->gid = uid;
	c->caps = caps;
	c->valid = 1;
}

int svc_add(const struct svc_config *cfg, unsigned flags)
{
	struct svc *s;

	if (svc_count == SVC_MAX) {
		log_warnx("%s: too many services (SVC_MAX %d)", cfg->name, SVC_MAX);
		return -1;
	}
	s = &svc_table[svc_count++];
	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->flags = flags;
	s->ready_fd = -1;
	s->control_fd = -1;
	s->out[SVC_OUT].fd = s->out[SVC_ERR].fd = -1;
	s->out[SVC_OUT].svc = s->out[SVC_ERR].svc = s;
	s->backoff_ms = SVC_BACKOFF_MIN_MS;
	s->timer.arg = s;
	s->timer.slot = -1;
	s->burst_timer.arg = s;
	s->burst_timer.slot = -1;
	s->burst_timer.fn = svc_on_burst_timer;
	return 0;
}

void svc_on_each_ready(void (*fn)(const char *name))
{
	svc_each_ready_fn = fn;
}

void svc_on_all_ready(void (*fn)(void))
{
	svc_ready_fn = fn;
}

const struct log_ring *svc_log(const char *name)
{
	int i;

	for (i = 0; i < svc_count; i++)
		if (strcmp(svc_table[i].cfg->name, name) == 0)
			return &svc_table[i].ring;
	return NULL;
}

int svc_health(const char **name, unsigned *exits, const char **exits_name)
{
	int i, worst = 0;

	*name = *exits_name = NULL;
	*exits = 0;
	for (i = 0; i < svc_count; i++) {
		const struct svc *s = &svc_table[i];
		int h;

		if (s->exits > *exits) {
			*exits = s->exits;
			*exits_name = s->cfg->name;
		}
		/* A one-shot that ended cleanly (restart = never or
		 * on-failure) has done its part. */
		if (s->state == SVC_DONE && !s->failed && s->cfg->restart != CONFIG_RESTART_ALWAYS)
			h = 0;
		else if (s->state == SVC_DONE || s->state == SVC_STOPPING)
			h = 2;
		else if (s->state != SVC_RUNNING || ((s->flags & SVC_F_NOTIFY) && !s->ready))
			h = 1;
		else
			h = 0;
		if (h > worst) {
			worst = h;
			*name = s->cfg->name;
		}
	}
	return worst;
}

int svc_count_get(void)
{
	return svc_count;
}

int svc_index(const char *name)
{
	int i;

	for (i = 0; i < svc_count; i++)
		if (strcmp(svc_table[i].cfg->name, name) == 0)
			return i;
	return -1;
}

int svc_set_control_fd(const char *name, int fd)
{
	int i = svc_index(name);

	if (i < 0)
		return -1;
	svc_table[i].control_fd = fd;
	return 0;
}

int svc_info_get(int i, struct svc_info *out)
{
	static const char *const names[] = {
		[SVC_STOPPED] = "stopped", [SVC_WAITING] = "starting",
		[SVC_RUNNING] = "running", [SVC_BACKOFF] = "backoff",
		[SVC_STOPPING] = "stopping", [SVC_DONE] = "stopped",
	};
	const struct svc *s;

	if (i < 0 || i >= svc_count)
		return -1;
	s = &svc_table[i];
	out->name = s->cfg->name;
	out->state = names[s->state];
	if (s->state == SVC_RUNNING && (s->flags & SVC_F_NOTIFY) && !s->ready)
		out->state = "starting";
	if ((s->state == SVC_DONE || s->state == SVC_STOPPED) && s->last_failed)
		out->state = "failed";
	out->pid = s->pid;
	out->restarts = s->starts > 1 ? s->starts - 1 : 0;
	out->uptime_ms = s->pid > 0 ? loop_now_ms() - s->started_ms : 0;
	memcpy(out->last_exit, s->last_exit, sizeof(out->last_exit));
	return 0;
}

int svc_restart(int i)
{
	struct svc *s;

	if (i < 0 || i >= svc_count) {
		errno = ENOENT;
		return -1;
	}
	s = &svc_table[i];
	if (svc_stopping || s->state == SVC_WAITING || s->state == SVC_STOPPING || s->restart_req) {
		errno = EBUSY;
		return -1;
	}
	if (s->state == SVC_RUNNING) {
		log_info("%s: restart requested (SIGTERM)", s->cfg->name);
		s->restart_req = 1;
		kill(-s->pid, SIGTERM);
		kill(s->pid, SIGTERM);
		loop_timer_arm(&s->timer, SVC_RESTART_GRACE_MS);
		return 0;
	}
	log_info("%s: start requested", s->cfg->name);
	loop_timer_cancel(&s->timer);
	s->backoff_ms = SVC_BACKOFF_MIN_MS;
	s->timer.fn = svc_on_timer;
	svc_spawn(s);
	return 0;
}

static void svc_check_all_ready(void)
{
	int i;

	if (svc_ready_reported || !svc_ready_fn)
		return;
	for (i = 0; i < svc_count; i++)
		if ((svc_table[i].flags & SVC_F_NOTIFY) && !svc_table[i].ready)
			return;
	svc_ready_reported = 1;
	svc_ready_fn();
}

static void svc_start_waiting(void)
{
	int i;

	for (i = 0; i < svc_count; i++)
		if (svc_table[i].state == SVC_WAITING && !svc_stopping)
			svc_spawn(&svc_table[i]);
}

static void svc_close_fd(int *fd)
{
	if (*fd < 0)
		return;
	loop_del_fd(*fd);
	close(*fd);
	*fd = -1;
}

static void svc_on_ready_fd(int fd, uint32_t events, void *arg)
{
	struct svc *s = arg;
	char c;
	ssize_t n;

	(void)events;
	n = read(fd, &c, 1);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	svc_close_fd(&s->ready_fd);
	if (n != 1 || s->ready)
		return;
	s->ready = 1;
	log_info("%s: ready", s->cfg->name);
	if (svc_each_ready_fn)
		svc_each_ready_fn(s->cfg->name);
	if ((s->flags & SVC_F_NETWORK) && !svc_network_up) {
		svc_network_up = 1;
		svc_start_waiting();
	}
	svc_check_all_ready();
}

static void svc_report_suppressed(struct svc *s)
{
	loop_timer_cancel(&s->burst_timer);
	if (!s->suppressed)
		return;
	log_info("%s: %u lines not shown on the console (over %d bytes a second)",
		 s->cfg->name, s->suppressed, SVC_CONSOLE_BYTES_PER_S);
	s->suppressed = 0;
}

static void svc_on_burst_timer(struct loop_timer *t)
{
	svc_report_suppressed(t->arg);
}

/* One line of a service's output: to the console with the service's name,
 * into its ring (after its wall-clock time, RFC 3339) and to the remote
 * log: a line from stderr as a warning, from stdout as info; our own
 * roles write their console lines to stderr, info for them. They already
 * speak the console's ":: " format; their lines go out as they are. */
static void svc_emit_line(struct svc_stream *o)
{
	struct svc *s = o->svc;
	int sev = o == &s->out[SVC_ERR] && !s->cfg->builtin ? SYSLOG_WARNING : SYSLOG_INFO;
	char out[SVC_LINE_MAX + CONFIG_NAME_MAX + 4], stamp[SYSLOG_TIME_MAX];
	size_t n = 0, nlen = strlen(s->cfg->name);
	struct timespec ts;
	int64_t now;

	clock_gettime(CLOCK_REALTIME, &ts);
	n = syslog_fmt_time(stamp, sizeof(stamp), ts.tv_sec, ts.tv_nsec / 1000, 0);
	stamp[n++] = ' ';
	log_ring_append(&s->ring, stamp, n);
	n = 0;
	remote_log_line(sev, s->cfg->name, s->pid, o->line, o->line_len);
	log_ring_append(&s->ring, o->line, o->line_len);
	log_ring_append(&s->ring, "\n", 1);
	if (!(s->cfg->builtin && o->line_len >= 3 && memcmp(o->line, ":: ", 3) == 0)) {
		memcpy(out, s->cfg->name, nlen);
		out[nlen] = ':';
		out[nlen + 1] = ' ';
		n = nlen + 2;
	}
	memcpy(out + n, o->line, o->line_len);
	n += o->line_len;
	out[n++] = '\n';
	o->line_len = 0;
	/* The serial console is slow, and PID 1 must not spend its life
	 * writing one service's flood to it: the ring keeps everything. The
	 * budget counts bytes, which is what a UART's time goes by. */
	now = loop_now_ms();
	if (now - s->burst_start_ms >= 1000) {
		svc_report_suppressed(s);
		s->burst_start_ms = now;
		s->burst_bytes = 0;
	}
	if (now - svc_console_start_ms >= 1000) {
		svc_console_start_ms = now;
		svc_console_bytes = 0;
	}
	if (s->burst_bytes + n > SVC_CONSOLE_BYTES_PER_S ||
	    svc_console_bytes + n > SVC_CONSOLE_TOTAL_BYTES_PER_S) {
		if (s->suppressed++ == 0)
			loop_timer_arm(&s->burst_timer, s->burst_start_ms + 1000 - now);
		return;
	}
	s->burst_bytes += (unsigned)n;
	svc_console_bytes += (unsigned)n;
	log_write(out, n);
}

/* Read from the output pipe until it is empty or BUDGET bytes have been
 * taken; the level-triggered loop comes back for the rest. On EOF the
 * pipe is closed (every writer is gone). */
static void svc_read_log(struct svc_stream *o, size_t budget)
{
	char buf[1024];
	size_t taken = 0;
	ssize_t n, i;

	while (o->fd >= 0 && taken < budget) {
		n = read(o->fd, buf, sizeof(buf) < budget - taken ? sizeof(buf) : budget - taken);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			if (o->line_len)
				svc_emit_line(o);
			svc_close_fd(&o->fd);
			return;
		}
		taken += (size_t)n;
		for (i = 0; i < n; i++) {
			if (buf[i] == '\n') {
				svc_emit_line(o);
				continue;
			}
			o->line[o->line_len++] = buf[i];
			if (o->line_len == SVC_LINE_MAX)
				svc_emit_line(o);
		}
	}
}

static void svc_on_log_fd(int fd, uint32_t events, void *arg)
{
	(void)fd;
	(void)events;
	svc_read_log(arg, SVC_LOG_READ_BUDGET);
}

/* Take what the pipe holds now, then let it go: the next instance gets a
 * pipe of its own. Bounded: a process that left the group and still
 * writes would otherwise keep PID 1 here for ever. */
static void svc_drain_log(struct svc *s)
{
	int k;

	for (k = SVC_OUT; k <= SVC_ERR; k++) {
		svc_read_log(&s->out[k], SVC_LOG_DRAIN_MAX);
		if (s->out[k].line_len)
			svc_emit_line(&s->out[k]);
		svc_close_fd(&s->out[k].fd);
	}
	svc_report_suppressed(s);
}

static int svc_capset(uint64_t caps)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	data[0].effective = data[0].permitted = data[0].inheritable = (uint32_t)caps;
	data[1].effective = data[1].permitted = data[1].inheritable = (uint32_t)(caps >> 32);
	return (int)syscall(SYS_capset, &hdr, data);
}

/* In the child: drop to the service's user, keep only the capabilities it
 * asked for (also across exec, through the ambient set), no new privileges. */
static int svc_child_credentials(const struct svc_config *cfg)
{
	int c;

	for (c = 0; c < 64; c++)
		if (!(cfg->caps & ((uint64_t)1 << c)) &&
		    prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
			return -1;
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 ||
	    setgroups(0, NULL) < 0 || setgid(cfg->gid) < 0 || setuid(cfg->uid) < 0)
		return -1;
	if (svc_capset(cfg->caps) < 0)
		return -1;
	for (c = 0; c < 64; c++)
		if ((cfg->caps & ((uint64_t)1 << c)) &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) < 0)
			return -1;
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

/* In the child, between fork and exec: a clean process for the service. */
static void svc_child_setup(const struct svc_config *cfg, int notify_w, int log_w, int err_w,
			    int control)
{
	/* The kernel's struct: the C library refuses to touch the signals it
	 * reserves for itself (32-34 in musl), and an ignored one of those
	 * inherited from whoever started us must not reach the service. */
	struct { void (*handler)(int); unsigned long flags; void *restorer; uint64_t mask; }
		dfl = { SIG_DFL, 0, NULL, 0 };
	sigset_t none;
	int fd, sig;

	log_hook = NULL;	/* PID 1's remote log is not ours */
	for (sig = 1; sig <= 64; sig++)	/* fails harmlessly for KILL/STOP */
		syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(dfl.mask));
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setsid();

	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0 && fd != STDIN_FILENO) {
		dup2(fd, STDIN_FILENO);
		close(fd);
	}
	if (log_w >= 0) {
		dup2(log_w, STDOUT_FILENO);
		dup2(err_w >= 0 ? err_w : log_w, STDERR_FILENO);
	}
	/* Out of the way of 3 first: the readiness pipe goes there. */
	if (control >= 0)
		control = fcntl(control, F_DUPFD_CLOEXEC, 10);
	if (notify_w >= 0) {
		dup2(notify_w, 3);	/* dup2 clears FD_CLOEXEC on 3 */
		fd = 4;
	} else {
		fd = 3;
	}
	if (control >= 0) {
		dup2(control, SVC_CONTROL_FD);
		fd = SVC_CONTROL_FD + 1;
	}
	/* No descriptor of PID 1's leaks into a service. */
	if (syscall(SYS_close_range, (unsigned)fd, ~0U, 0) < 0)
		for (; fd < 1024; fd++)
			close(fd);
	if (chdir("/") < 0)
		_exit(127);
	if (svc_child_credentials(cfg) < 0) {
		log_warn("%s: cannot switch to uid %u gid %u", cfg->name,
			 (unsigned)cfg->uid, (unsigned)cfg->gid);
		_exit(127);
	}
}

static void svc_spawn(struct svc *s)
{
	const struct svc_config *cfg = s->cfg;
	const char *argv[CONFIG_MAX_ARGS + 4];
	const char *envp[CONFIG_MAX_ENV + 4];
	char state[sizeof("STATE_DIRECTORY=" STORAGE_DIR "/") + CONFIG_NAME_MAX];
	int ready[2] = { -1, -1 }, logp[2] = { -1, -1 }, errp[2] = { -1, -1 };
	const char *path;
	int i, n = 0;
	pid_t pid;

	if (cfg->builtin) {
		/* @role: this binary, as "init ROLE ARGS..." */
		path = "/proc/self/exe";
		argv[n++] = "init";
		argv[n++] = cfg->argv[0] + 1;
	} else {
		path = cfg->argv[0];
		argv[n++] = cfg->argv[0];
	}
	for (i = 1; i < cfg->argc; i++)
		argv[n++] = cfg->argv[i];
	if (s->flags & SVC_F_NOTIFY) {
		argv[n++] = "--ready-fd";
		argv[n++] = "3";
	}
	argv[n] = NULL;
	n = 0;
	envp[n++] = "PATH=/app:/bin:/sbin:/usr/bin";
	envp[n++] = "HOME=/";
	/* systemd's convention: the service's own directory under /data,
	 * made (again) before every start. PID 1 only: the host
	 * supervisor has no /data. */
	memcpy(state, "STATE_DIRECTORY=", 16);
	if (storage_service_dir(cfg->name, cfg->uid, cfg->gid, state + 16, sizeof(state) - 16) == 0)
		envp[n++] = state;
	for (i = 0; i < cfg->envc; i++)
		envp[n++] = cfg->env[i];
	envp[n] = NULL;

	if ((s->flags & SVC_F_NOTIFY) && pipe2(ready, O_CLOEXEC | O_NONBLOCK) < 0)
		log_warn("%s: readiness pipe", cfg->name);
	if (pipe2(logp, O_CLOEXEC) < 0)
		log_warn("%s: log pipe", cfg->name);
	if (logp[0] >= 0 && pipe2(errp, O_CLOEXEC) < 0)
		log_warn("%s: stderr pipe", cfg->name);	/* stderr on stdout's pipe, then */

	pid = fork();
	if (pid == 0) {
		svc_child_setup(cfg, ready[1], logp[1], errp[1], s->control_fd);
		execve(path, (char *const *)argv, (char *const *)envp);
		log_warn("%s: exec %s", cfg->name, path);
		_exit(127);
	}
	if (ready[1] >= 0)
		close(ready[1]);
	if (logp[1] >= 0)
		close(logp[1]);
	if (errp[1] >= 0)
		close(errp[1]);
	if (pid < 0) {
		log_warn("%s: fork", cfg->name);
		if (ready[0] >= 0)
			close(ready[0]);
		if (logp[0] >= 0)
			close(logp[0]);
		if (errp[0] >= 0)
			close(errp[0]);
		s->state = svc_stopping ? SVC_DONE : SVC_BACKOFF;
		if (!svc_stopping)
			loop_timer_arm(&s->timer, s->backoff_ms);
		return;
	}
	svc_close_fd(&s->ready_fd);
	if (ready[0] >= 0) {
		s->ready_fd = ready[0];
		if (loop_add_fd(s->ready_fd, EPOLLIN, svc_on_ready_fd, s) < 0) {
			log_warn("%s: watch readiness", cfg->name);
			close(s->ready_fd);
			s->ready_fd = -1;
		}
	}
	s->out[SVC_OUT].fd = logp[0];
	s->out[SVC_ERR].fd = errp[0];
	for (i = SVC_OUT; i <= SVC_ERR; i++) {
		struct svc_stream *o = &s->out[i];

		if (o->fd < 0)
			continue;
		fcntl(o->fd, F_SETFL, O_NONBLOCK);
		if (loop_add_fd(o->fd, EPOLLIN, svc_on_log_fd, o) < 0) {
			log_warn("%s: watch output", cfg->name);
			close(o->fd);
			o->fd = -1;
		}
	}
	s->pid = pid;
	s->started_ms = loop_now_ms();
	s->state = SVC_RUNNING;
	s->starts++;
	log_info("%s: started (pid %d)", cfg->name, (int)pid);
}

static void svc_on_timer(struct loop_timer *t)
{
	struct svc *s = t->arg;

	switch (s->state) {
	case SVC_BACKOFF:
		if (!svc_stopping)	/* svc_stop_all moved it to DONE; in case */
			svc_spawn(s);
		break;
	case SVC_RUNNING:	/* a requested restart: SIGTERM was not enough */
		if (s->restart_req) {
			log_warnx("%s: still running %d ms after the restart request, sending SIGKILL",
				  s->cfg->name, SVC_RESTART_GRACE_MS);
			kill(-s->pid, SIGKILL);
			kill(s->pid, SIGKILL);
		}
		break;
	case SVC_STOPPING:
		log_warnx("%s: still running at the end of the grace period (%lld ms), sending SIGKILL",
			  s->cfg->name, (long long)svc_grace_ms);
		kill(-s->pid, SIGKILL);
		kill(s->pid, SIGKILL);
		break;
	default:
		break;
	}
}

void svc_start_all(void)
{
	int i, have_network = 0;

	for (i = 0; i < svc_count; i++)
		if (svc_table[i].flags & SVC_F_NETWORK)
			have_network = 1;
	if (!have_network)
		svc_network_up = 1;	/* nothing to wait for */
	for (i = 0; i < svc_count; i++) {
		struct svc *s = &svc_table[i];

		s->timer.fn = svc_on_timer;
		if (s->state != SVC_STOPPED)
			continue;
		if (s->cfg->wait_network && !svc_network_up) {
			s->state = SVC_WAITING;
			log_info("%s: waiting for the network", s->cfg->name);
			continue;
		}
		svc_spawn(s);
	}
	svc_check_all_ready();
}

static void svc_describe_exit(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(status),
			 signal_name(WTERMSIG(status)));
	else
		snprintf(buf, len, "ended (wait status 0x%x)", status);
}

static void svc_on_exit(struct svc *s, int status)
{
	const struct svc_config *cfg = s->cfg;
	int64_t ran = loop_now_ms() - s->started_ms;
	int failed = !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	char how[SVC_EXIT_DESC_MAX];

	svc_describe_exit(status, how, sizeof(how));
	snprintf(s->last_exit, sizeof(s->last_exit), "%s", how);
	s->last_failed = failed && s->state != SVC_STOPPING && !s->restart_req;
	loop_timer_cancel(&s->timer);
	/* What is left of its process group goes with it: a restarted service
	 * must not meet the previous instance's children. */
	kill(-s->pid, SIGKILL);
	s->pid = 0;
	svc_close_fd(&s->ready_fd);
	svc_drain_log(s);
	if (s->state == SVC_STOPPING) {
		log_info("%s: stopped (%s)", cfg->name, how);
		loop_timer_cancel(&s->timer);
		s->state = SVC_DONE;
		svc_stop_next();
		return;
	}
	if (s->restart_req) {
		s->restart_req = 0;
		if (!svc_stopping) {
			log_info("%s: %s; restarting as requested", cfg->name, how);
			s->backoff_ms = SVC_BACKOFF_MIN_MS;
			svc_spawn(s);
			return;
		}
	}
	s->exits++;
	s->failed = failed;
	if (svc_stopping || cfg->restart == CONFIG_RESTART_NEVER ||
	    (cfg->restart == CONFIG_RESTART_ON_FAILURE && !failed) ||
	    (WIFEXITED(status) && WEXITSTATUS(status) == SVC_EXIT_NO_RESTART)) {
		log_info("%s: %s after %lld ms; not restarting", cfg->name, how, (long long)ran);
		s->state = SVC_DONE;
		return;
	}
	if (ran >= SVC_STABLE_MS)
		s->backoff_ms = SVC_BACKOFF_MIN_MS;
	log_info("%s: %s after %lld ms; restarting in %lld ms", cfg->name, how,
		 (long long)ran, (long long)s->backoff_ms);
	s->state = SVC_BACKOFF;
	loop_timer_arm(&s->timer, s->backoff_ms);
	s->backoff_ms *= 2;
	if (s->backoff_ms > SVC_BACKOFF_MAX_MS)
		s->backoff_ms = SVC_BACKOFF_MAX_MS;
}

void svc_reap(void)
{
	int status, i;
	pid_t pid;

	/* One SIGCHLD may stand for many exits: reap until none is left. */
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < svc_count; i++) {
			if (svc_table[i].pid == pid) {
				svc_on_exit(&svc_table[i], status);
				break;
			}
		}
	}
}

static void svc_stop_finish(void)
{
	void (*fn)(void) = svc_stop_done;

	loop_timer_cancel(&svc_deadline_timer);
	svc_stop_done = NULL;
	if (fn)
		fn();
}

static void svc_stop_next(void)
{
	struct svc *s;

	while (svc_stop_index > 0) {
		s = &svc_table[--svc_stop_index];
		loop_timer_cancel(&s->timer);
		if (s->state != SVC_RUNNING) {
			s->state = SVC_DONE;
			continue;
		}
		log_info("%s: stopping (SIGTERM)", s->cfg->name);
		s->state = SVC_STOPPING;
		kill(-s->pid, SIGTERM);
		kill(s->pid, SIGTERM);	/* in case it left its process group */
		/* The rest of the shared grace period; none left: SIGKILL next. */
		loop_timer_arm(&s->timer, svc_grace_end_ms - loop_now_ms());
		return;	/* the next one when this one has exited */
	}
	svc_stop_finish();
}

void svc_stop_now(void)
{
	struct svc *s;
	int i;

	if (!svc_stopping)
		return;
	for (i = 0; i < svc_count; i++) {
		s = &svc_table[i];
		loop_timer_cancel(&s->timer);
		if (s->pid > 0 && (s->state == SVC_RUNNING || s->state == SVC_STOPPING)) {
			log_warnx("%s: sending SIGKILL", s->cfg->name);
			kill(-s->pid, SIGKILL);
			kill(s->pid, SIGKILL);
		}
		s->state = SVC_DONE;
	}
	svc_stop_index = 0;
	svc_stop_finish();
}

static void svc_on_deadline(struct loop_timer *t)
{
	(void)t;
	log_warnx("shutdown deadline (%lld ms) passed: not waiting any longer",
		  (long long)(svc_grace_ms + SVC_STOP_MARGIN_MS));
	svc_stop_now();
}

void svc_stop_all(int64_t grace_ms, void (*done)(void))
{
	struct svc *s;
	int i;

	if (svc_stopping)
		return;
	svc_stopping = 1;
	svc_grace_ms = grace_ms;
	svc_grace_end_ms = loop_now_ms() + grace_ms;
	svc_stop_done = done;
	svc_stop_index = svc_count;
	/* Nothing starts again: a service waiting for its restart (or for
	 * the network) is done now, not when its turn in the order comes. */
	for (i = 0; i < svc_count; i++) {
		s = &svc_table[i];
		if (s->state == SVC_BACKOFF || s->state == SVC_WAITING || s->state == SVC_STOPPED) {
			loop_timer_cancel(&s->timer);
			s->state = SVC_DONE;
		}
	}
	svc_deadline_timer.fn = svc_on_deadline;
	loop_timer_arm(&svc_deadline_timer, grace_ms + SVC_STOP_MARGIN_MS);
	svc_stop_next();
}
