/* supervise.h - the service table: spawn, readiness, restart with backoff,
 * ordered stop. */
#ifndef MINILINUX_SUPERVISE_H
#define MINILINUX_SUPERVISE_H

#include <sys/types.h>

#define SVC_MAX          16
#define SVC_MAX_ARGS     32
#define SVC_NAME_MAX     32
#define SVC_BACKOFF_MIN_MS   100
#define SVC_BACKOFF_MAX_MS   30000
#define SVC_STABLE_MS        10000	/* running this long resets the backoff */
#define SVC_EXIT_NO_RESTART  125	/* a service exiting with this is not restarted */

enum svc_restart { SVC_RESTART_ALWAYS, SVC_RESTART_ON_FAILURE, SVC_RESTART_NEVER };

#define SVC_F_SELF   0x1	/* argv[0] is a role of this binary (exec /proc/self/exe) */
#define SVC_F_NOTIFY 0x2	/* the service writes a byte to fd 3 when ready */

/* Add a service; ARGV is copied by pointer (must outlive the table).
 * Returns 0, or -1 when the table is full. */
int svc_add(const char *name, const char *const *argv, unsigned flags,
	    enum svc_restart restart);
void svc_start_all(void);
/* Called once, when every SVC_F_NOTIFY service has reported ready. */
void svc_on_all_ready(void (*fn)(void));
/* Reap every exited child (WNOHANG loop), handling service exits. */
void svc_reap(void);
/* Stop services in reverse order: SIGTERM to each process group, SIGKILL
 * after GRACE_MS; DONE runs when all are down. Safe to call twice. */
void svc_stop_all(int64_t grace_ms, void (*done)(void));
/* Number of services with a live process. */
int svc_running(void);

#endif
