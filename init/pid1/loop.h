/* loop.h - the one event loop: epoll for fds, monotonic deadline timers. */
#ifndef MINILINUX_LOOP_H
#define MINILINUX_LOOP_H

#include <stdint.h>

#define LOOP_MAX_FDS    64
#define LOOP_MAX_TIMERS 64

typedef void (*loop_fd_fn)(int fd, uint32_t events, void *arg);

struct loop_timer {
	int64_t deadline_ms;	/* CLOCK_MONOTONIC, ms; meaningful when armed */
	void (*fn)(struct loop_timer *t);
	void *arg;
	int armed;
	int slot;		/* index in the timer table, -1 when unarmed */
};

int loop_init(void);
int loop_add_fd(int fd, uint32_t events, loop_fd_fn fn, void *arg);
int loop_del_fd(int fd);
/* Arm (or re-arm) T to fire once at now + DELAY_MS. */
int loop_timer_arm(struct loop_timer *t, int64_t delay_ms);
void loop_timer_cancel(struct loop_timer *t);
/* Wait for one batch of events and run their handlers and due timers. */
void loop_run_once(void);

int64_t loop_now_ms(void);		/* CLOCK_MONOTONIC */
int64_t loop_boottime_ms(void);	/* CLOCK_BOOTTIME: includes the kernel's part */

#endif
