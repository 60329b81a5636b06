/* supervise.h - the service table: spawn, readiness, logs, restart with
 * backoff, ordered stop. */
#ifndef MINILINUX_SUPERVISE_H
#define MINILINUX_SUPERVISE_H

#include "pure/config.h"
#include "lib/log.h"
#include "pure/log_ring.h"

#include <stdint.h>
#include <sys/types.h>

#define SVC_MAX              CONFIG_MAX_SVC
#define SVC_BACKOFF_MIN_MS   100
#define SVC_BACKOFF_MAX_MS   30000
#define SVC_STABLE_MS        10000	/* running this long resets the backoff */
#define SVC_EXIT_NO_RESTART  125	/* a service exiting with this is not restarted */
#define SVC_LINE_MAX         256	/* longer output lines are split */
/* The console's byte budget. A 115200-baud UART (8N1, 10 bits a byte)
 * carries 11520 bytes a second: services get 8 KiB of it together and
 * each at most 4 KiB, the rest is left for PID 1 and the kernel. Lines
 * over the budget are kept only in the service's ring, and counted. */
#define SVC_CONSOLE_BYTES_PER_S       4096	/* one service */
#define SVC_CONSOLE_TOTAL_BYTES_PER_S 8192	/* all services */
#define SVC_LOG_READ_BUDGET  4096	/* bytes read from one service per wake-up */
#define SVC_LOG_DRAIN_MAX    65536	/* read at exit: what a default pipe holds */
#define SVC_STOP_MARGIN_MS   2000	/* after the grace period, for the killed to exit */

#define SVC_F_NOTIFY  0x1	/* the service writes a byte to fd 3 when ready */
#define SVC_F_NETWORK 0x2	/* this service brings the network up */

/* Fill C as one of /init's own roles: NAME, run as ROLE (argv[0], e.g.
 * "@dhcp", more arguments may follow), always restarted, as UID (its own
 * group too) with the capabilities CAPS (bit n = capability n). */
void svc_config_builtin(struct svc_config *c, const char *name, const char *role, unsigned uid,
			uint64_t caps);
/* Add a service described by CFG (which must outlive the table).
 * Returns 0, or -1 when the table is full. */
int svc_add(const struct svc_config *cfg, unsigned flags);
/* Start every service that does not wait for the network. */
void svc_start_all(void);
/* Called for each service the first time it reports ready. */
void svc_on_each_ready(void (*fn)(const char *name));
/* Called once, when every SVC_F_NOTIFY service has reported ready. */
void svc_on_all_ready(void (*fn)(void));
/* Reap every exited child (WNOHANG loop), handling service exits. */
void svc_reap(void);
/* Stop services in reverse order: SIGTERM to each process group in turn;
 * GRACE_MS after the call, SIGKILL to whatever still runs. DONE runs when
 * all are down, or at the latest GRACE_MS + SVC_STOP_MARGIN_MS after the
 * call. A second call does nothing (svc_stop_now is the hurry). */
void svc_stop_all(int64_t grace_ms, void (*done)(void));
/* During a stop: SIGKILL to every service still up and run DONE now,
 * without waiting for them to exit. */
void svc_stop_now(void);
/* For the trial of an update (boot_assess.c): 0 when every service is
 * RUNNING (and has reported ready, if it does) or is a one-shot that
 * ended cleanly, 1 when one is not yet, 2 when one has stopped for good; *NAME is the worst one. *EXITS is the
 * most exits (not asked for) of any one service since boot, *EXITS_NAME
 * that service. */
int svc_health(const char **name, unsigned *exits, const char **exits_name);
/* The kept output of service NAME, or NULL. */
const struct log_ring *svc_log(const char *name);

/* For the admin API (pid1/control.c). */
#define SVC_CONTROL_FD  4	/* where a service given a control fd finds it */
#define SVC_EXIT_DESC_MAX 80	/* "killed by signal N (NAME)" */
struct svc_info {
	const char *name;
	const char *state;	/* starting running backoff stopping stopped failed */
	pid_t pid;		/* 0 when not running */
	unsigned restarts;	/* starts after the first */
	int64_t uptime_ms;	/* of the running instance, else 0 */
	char last_exit[SVC_EXIT_DESC_MAX];	/* "" before the first exit */
};
int svc_count_get(void);
/* Row I (0 .. svc_count_get() - 1) into OUT; 0, or -1 if out of range. */
int svc_info_get(int i, struct svc_info *out);
/* The row of service NAME, or -1. */
int svc_index(const char *name);
/* Restart row I now: a running one gets SIGTERM (SIGKILL after the
 * restart grace period) and starts again at once when it has exited, a
 * stopped or failed one or one in backoff starts now. 0, or -1 with
 * errno EBUSY (shutting down, waiting for the network, stopping) or
 * ENOENT (no such row). */
int svc_restart(int i);
#define SVC_RESTART_GRACE_MS 5000
/* Give service NAME the descriptor FD as SVC_CONTROL_FD in every
 * instance (PID 1 keeps FD; the child gets a copy). 0, or -1. */
int svc_set_control_fd(const char *name, int fd);

#endif
