/* supervise.c - the service table.
 *
 * Every service is one row with a state; events (spawned, exited, backoff
 * timer, stop request, grace timer) move it between states:
 *
 *   STOPPED --start--> RUNNING --exit--> BACKOFF --timer--> RUNNING
 *                         |                  |
 *                       stop               stop
 *                         v                  v
 *                      STOPPING --exit--> DONE  (restart never / exit 125 also end in DONE)
 *
 * Storage is the fixed table; nothing is allocated after start-up. */
#include "supervise.h"
#include "log.h"
#include "loop.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

enum svc_state { SVC_STOPPED, SVC_RUNNING, SVC_BACKOFF, SVC_STOPPING, SVC_DONE };

struct svc {
	char name[SVC_NAME_MAX];
	const char *const *argv;
	unsigned flags;
	enum svc_restart restart;
	enum svc_state state;
	pid_t pid;
	int ready;		/* reported ready at least once */
	int ready_fd;		/* read end of the readiness pipe, or -1 */
	int64_t started_ms;
	int64_t backoff_ms;
	struct loop_timer timer;	/* backoff, or the stop grace period */
};

static struct svc svc_table[SVC_MAX];
static int svc_count;
static void (*svc_ready_fn)(void);
static int svc_ready_reported;
static int svc_stopping;	/* shutdown in progress */
static int svc_stop_index;	/* next service to stop, counting down */
static int64_t svc_grace_ms;
static void (*svc_stop_done)(void);

static void svc_spawn(struct svc *s);
static void svc_stop_next(void);

extern char **environ;

static void svc_set_state(struct svc *s, enum svc_state st)
{
	s->state = st;
}

int svc_add(const char *name, const char *const *argv, unsigned flags,
	    enum svc_restart restart)
{
	struct svc *s;

	if (svc_count == SVC_MAX) {
		log_warnx("%s: too many services (SVC_MAX %d)", name, SVC_MAX);
		return -1;
	}
	s = &svc_table[svc_count++];
	memset(s, 0, sizeof(*s));
	strncpy(s->name, name, sizeof(s->name) - 1);
	s->argv = argv;
	s->flags = flags;
	s->restart = restart;
	s->ready_fd = -1;
	s->backoff_ms = SVC_BACKOFF_MIN_MS;
	s->timer.arg = s;
	s->timer.slot = -1;
	return 0;
}

void svc_on_all_ready(void (*fn)(void))
{
	svc_ready_fn = fn;
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

static void svc_close_ready(struct svc *s)
{
	if (s->ready_fd < 0)
		return;
	loop_del_fd(s->ready_fd);
	close(s->ready_fd);
	s->ready_fd = -1;
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
	if (n == 1 && !s->ready) {
		s->ready = 1;
		log_info("%s: ready", s->name);
	}
	svc_close_ready(s);
	svc_check_all_ready();
}

/* In the child, between fork and exec: a clean process for the service. */
static void svc_child_setup(int notify_w)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };
	sigset_t none;
	int fd, sig;

	for (sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);	/* fails harmlessly for KILL/STOP */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setsid();

	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0 && fd != STDIN_FILENO) {
		dup2(fd, STDIN_FILENO);
		close(fd);
	}
	if (notify_w >= 0) {
		dup2(notify_w, 3);	/* dup2 clears FD_CLOEXEC on 3 */
		fd = 4;
	} else {
		fd = 3;
	}
	/* No descriptor of PID 1's leaks into a service. */
	if (syscall(SYS_close_range, (unsigned)fd, ~0U, 0) < 0)
		for (; fd < 1024; fd++)
			close(fd);
	if (chdir("/") < 0)
		_exit(127);
}

static void svc_spawn(struct svc *s)
{
	int pipefd[2] = { -1, -1 };
	const char *path;
	pid_t pid;

	if ((s->flags & SVC_F_NOTIFY) &&
	    pipe2(pipefd, O_CLOEXEC | O_NONBLOCK) < 0)
		log_warn("%s: readiness pipe", s->name);

	path = (s->flags & SVC_F_SELF) ? "/proc/self/exe" : s->argv[0];
	pid = fork();
	if (pid < 0) {
		log_warn("%s: fork", s->name);
		if (pipefd[0] >= 0) {
			close(pipefd[0]);
			close(pipefd[1]);
		}
		svc_set_state(s, SVC_BACKOFF);
		loop_timer_arm(&s->timer, s->backoff_ms);
		return;
	}
	if (pid == 0) {
		svc_child_setup(pipefd[1]);
		execve(path, (char *const *)s->argv, environ);
		log_warn("%s: exec %s", s->name, path);
		_exit(127);
	}
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	svc_close_ready(s);
	if (pipefd[0] >= 0) {
		s->ready_fd = pipefd[0];
		if (loop_add_fd(s->ready_fd, EPOLLIN, svc_on_ready_fd, s) < 0) {
			log_warn("%s: watch readiness", s->name);
			close(s->ready_fd);
			s->ready_fd = -1;
		}
	}
	s->pid = pid;
	s->started_ms = loop_now_ms();
	svc_set_state(s, SVC_RUNNING);
	log_info("%s: started (pid %d)", s->name, (int)pid);
}

static void svc_on_timer(struct loop_timer *t)
{
	struct svc *s = t->arg;

	switch (s->state) {
	case SVC_BACKOFF:
		svc_spawn(s);
		break;
	case SVC_STOPPING:
		log_warnx("%s: still running after %lld ms, sending SIGKILL",
			  s->name, (long long)svc_grace_ms);
		kill(-s->pid, SIGKILL);
		kill(s->pid, SIGKILL);
		break;
	default:
		break;
	}
}

void svc_start_all(void)
{
	int i;

	for (i = 0; i < svc_count; i++) {
		svc_table[i].timer.fn = svc_on_timer;
		if (svc_table[i].state == SVC_STOPPED)
			svc_spawn(&svc_table[i]);
	}
	svc_check_all_ready();
}

static void svc_describe_exit(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(buf, len, "ended (wait status 0x%x)", status);
}

static void svc_on_exit(struct svc *s, int status)
{
	char how[80];
	int64_t ran = loop_now_ms() - s->started_ms;
	int failed = !(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	svc_describe_exit(status, how, sizeof(how));
	s->pid = 0;
	svc_close_ready(s);
	/* Whatever else is left in its process group goes with it. */
	if (s->state == SVC_STOPPING) {
		log_info("%s: stopped (%s)", s->name, how);
		loop_timer_cancel(&s->timer);
		svc_set_state(s, SVC_DONE);
		svc_stop_next();
		return;
	}
	if (svc_stopping || s->restart == SVC_RESTART_NEVER ||
	    (s->restart == SVC_RESTART_ON_FAILURE && !failed) ||
	    (WIFEXITED(status) && WEXITSTATUS(status) == SVC_EXIT_NO_RESTART)) {
		log_info("%s: %s after %lld ms; not restarting", s->name, how, (long long)ran);
		svc_set_state(s, SVC_DONE);
		return;
	}
	if (ran >= SVC_STABLE_MS)
		s->backoff_ms = SVC_BACKOFF_MIN_MS;
	log_info("%s: %s after %lld ms; restarting in %lld ms", s->name, how,
		 (long long)ran, (long long)s->backoff_ms);
	svc_set_state(s, SVC_BACKOFF);
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

static void svc_stop_next(void)
{
	struct svc *s;

	while (svc_stop_index > 0) {
		s = &svc_table[--svc_stop_index];
		loop_timer_cancel(&s->timer);
		if (s->state != SVC_RUNNING) {
			svc_set_state(s, SVC_DONE);
			continue;
		}
		log_info("%s: stopping (SIGTERM)", s->name);
		svc_set_state(s, SVC_STOPPING);
		kill(-s->pid, SIGTERM);
		kill(s->pid, SIGTERM);	/* in case it left its process group */
		loop_timer_arm(&s->timer, svc_grace_ms);
		return;	/* the next one when this one has exited */
	}
	if (svc_stop_done) {
		void (*fn)(void) = svc_stop_done;

		svc_stop_done = NULL;
		fn();
	}
}

void svc_stop_all(int64_t grace_ms, void (*done)(void))
{
	if (svc_stopping)
		return;
	svc_stopping = 1;
	svc_grace_ms = grace_ms;
	svc_stop_done = done;
	svc_stop_index = svc_count;
	svc_stop_next();
}

int svc_running(void)
{
	int i, n = 0;

	for (i = 0; i < svc_count; i++)
		if (svc_table[i].pid > 0)
			n++;
	return n;
}
