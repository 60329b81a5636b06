/* remote_log.h - PID 1's console lines and its services' lines, also sent
 * as RFC 5424 syslog messages over UDP (RFC 5426) to one receiver
 * (minilinux.syslog= / syslog = in [system]). Never blocks: a bounded
 * queue, sent from the event loop; what does not fit is counted and
 * reported. */
#ifndef MINILINUX_REMOTE_LOG_H
#define MINILINUX_REMOTE_LOG_H

#include <stddef.h>
#include <sys/types.h>

#define REMOTE_LOG_QUEUE_MAX  64	/* messages waiting: 64 x 548 bytes */
#define REMOTE_LOG_RATE_MAX   256	/* messages sent a second, at most */
#define REMOTE_LOG_RETRY_MS   500	/* no route yet (before the lease): try again */
#define REMOTE_LOG_REPORT_MS  1000	/* drops reported at most this often */
#define REMOTE_LOG_RESOLVE_MIN_MS     1000	/* a name not resolved: again after */
#define REMOTE_LOG_RESOLVE_MAX_MS     60000	/* ... doubling to */
#define REMOTE_LOG_RESOLVE_TIMEOUT_MS 30000	/* the resolver killed after */
#define REMOTE_LOG_RERESOLVE_MS       3600000	/* a resolved name: again after */
#define REMOTE_LOG_APP        "init"	/* APP-NAME of PID 1's own lines */
#define REMOTE_LOG_STATUS     "/run/syslog/status"	/* as PID 1 only */

/* From the start of PID 1: its console lines are queued (not sent) until
 * remote_log_open says where to, or that there is nowhere. */
void remote_log_init(void);
/* TARGET "addr:port", "[v6addr]:port" or "name:port", or "" for none
 * (the queue is dropped). A name is resolved by a child (`init resolve`):
 * PID 1 parses no DNS; lines are queued until then.
 * STATUS: a file to keep the counts in, or NULL. 0, or -1. */
int remote_log_open(const char *target, const char *status);
/* One line of a service (or of PID 1: APP REMOTE_LOG_APP). */
void remote_log_line(int severity, const char *app, pid_t pid, const char *msg, size_t len);

#endif
