/* control.h - PID 1's end of the admin role's control channel.
 *
 * One SOCK_SEQPACKET socketpair: the role's end is SVC_CONTROL_FD in the
 * role, PID 1's end is watched by the loop. One request a record, one
 * answer a record. PID 1 checks every request: fixed verbs, names of
 * services it supervises, nothing else.
 *
 *   status          -> "ok\n" "version V\n" then per service
 *                      "svc NAME STATE PID RESTARTS UPTIME_MS LAST_EXIT\n"
 *   log NAME        -> "ok\n" then the service's log ring
 *   restart NAME    -> "ok\n", or "err REASON\n"
 *   reboot          -> "ok\n" (then the normal orderly reboot)
 *   poweroff        -> "ok\n" (then the normal orderly power-off)
 *   anything else   -> "err REASON\n"
 */
#ifndef MINILINUX_CONTROL_H
#define MINILINUX_CONTROL_H

#define CONTROL_REQUEST_MAX 64		/* "restart " + a service name */
#define CONTROL_REPLY_MAX   8192	/* a log ring (4096) and the status fit */

/* Make the socketpair and watch PID 1's end; returns the role's end (to
 * hand to svc_set_control_fd), or -1. VERSION is shown in status; the
 * callbacks run the machine's orderly reboot and power-off. */
int control_open(const char *version, void (*reboot_fn)(void), void (*poweroff_fn)(void));

#endif
