/* loop.c - epoll plus a small table of monotonic deadline timers.
 *
 * Everything is sized at start-up: LOOP_MAX_FDS handlers and
 * LOOP_MAX_TIMERS armed timers. Timers are few, so the next deadline is
 * found by a linear scan rather than a heap. */
#include "pid1/loop.h"
#include "lib/log.h"

#include <errno.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

struct loop_fd {
	int fd;
	loop_fd_fn fn;
	void *arg;
};

static int loop_epfd = -1;
static struct loop_fd loop_fds[LOOP_MAX_FDS];
static struct loop_timer *loop_timers[LOOP_MAX_TIMERS];

static int64_t clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t loop_now_ms(void)
{
	return clock_ms(CLOCK_MONOTONIC);
}

int64_t loop_boottime_ms(void)
{
	return clock_ms(CLOCK_BOOTTIME);
}

int loop_init(void)
{
	int i;

	for (i = 0; i < LOOP_MAX_FDS; i++)
		loop_fds[i].fd = -1;
	loop_epfd = epoll_create1(EPOLL_CLOEXEC);
	return loop_epfd < 0 ? -1 : 0;
}

int loop_add_fd(int fd, uint32_t events, loop_fd_fn fn, void *arg)
{
	struct epoll_event ev = { .events = events };
	int i;

	for (i = 0; i < LOOP_MAX_FDS; i++)
		if (loop_fds[i].fd < 0)
			break;
	if (i == LOOP_MAX_FDS) {
		errno = ENOSPC;
		return -1;
	}
	/* The fd rides along so a stale event for a reused slot is ignored. */
	ev.data.u64 = (uint64_t)(uint32_t)fd << 32 | (uint32_t)i;
	if (epoll_ctl(loop_epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -1;
	loop_fds[i] = (struct loop_fd){ fd, fn, arg };
	return 0;
}

int loop_del_fd(int fd)
{
	int i;

	for (i = 0; i < LOOP_MAX_FDS; i++) {
		if (loop_fds[i].fd == fd) {
			loop_fds[i].fd = -1;
			return epoll_ctl(loop_epfd, EPOLL_CTL_DEL, fd, NULL);
		}
	}
	errno = ENOENT;
	return -1;
}

int loop_timer_arm(struct loop_timer *t, int64_t delay_ms)
{
	int i;

	t->deadline_ms = loop_now_ms() + (delay_ms < 0 ? 0 : delay_ms);
	if (t->armed)
		return 0;
	for (i = 0; i < LOOP_MAX_TIMERS; i++) {
		if (!loop_timers[i]) {
			loop_timers[i] = t;
			t->slot = i;
			t->armed = 1;
			return 0;
		}
	}
	log_warnx("loop: out of timers (LOOP_MAX_TIMERS %d)", LOOP_MAX_TIMERS);
	errno = ENOSPC;
	return -1;
}

void loop_timer_cancel(struct loop_timer *t)
{
	if (!t->armed)
		return;
	loop_timers[t->slot] = NULL;
	t->armed = 0;
	t->slot = -1;
}

static void loop_run_timers(void)
{
	int64_t now = loop_now_ms();
	struct loop_timer *t;
	int i;

	for (i = 0; i < LOOP_MAX_TIMERS; i++) {
		t = loop_timers[i];
		if (t && t->deadline_ms <= now) {
			loop_timer_cancel(t);
			t->fn(t);	/* may re-arm t or others */
		}
	}
}

void loop_run_once(void)
{
	struct epoll_event evs[16];
	int64_t next = -1, now, wait;
	int i, n;

	for (i = 0; i < LOOP_MAX_TIMERS; i++)
		if (loop_timers[i] && (next < 0 || loop_timers[i]->deadline_ms < next))
			next = loop_timers[i]->deadline_ms;
	now = loop_now_ms();
	wait = next < 0 ? -1 : next > now ? next - now : 0;
	if (wait > 60000)
		wait = 60000;

	n = epoll_wait(loop_epfd, evs, 16, (int)wait);
	if (n < 0 && errno != EINTR)
		log_warn("epoll_wait");
	for (i = 0; i < n; i++) {
		struct loop_fd *h = &loop_fds[(uint32_t)evs[i].data.u64];

		if (h->fd >= 0 && h->fd == (int)(evs[i].data.u64 >> 32))
			h->fn(h->fd, evs[i].events, h->arg);
	}
	loop_run_timers();
}
