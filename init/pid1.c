/* pid1.c - the duties of PID 1: console fds, signals, mounts, hostname,
 * starting the services, reaping, and an orderly power-off.
 *
 * PID 1 must never exit (the kernel panics), so nothing here returns: a
 * failed step is logged and the system carries on; the end of the line is
 * always reboot(2). The parts that read network input run as supervised
 * children (roles of this same binary). */
#include "log.h"
#include "loop.h"
#include "mount.h"
#include "netlink.h"
#include "power.h"
#include "roles.h"
#include "supervise.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PID1_GRACE_MS  5000	/* SIGTERM to SIGKILL, per service */
#define PID1_REAP_MS   10000	/* periodic reap: orphans' SIGCHLDs coalesce */

static int64_t pid1_start_ms;	/* CLOCK_BOOTTIME when /init started */
static int pid1_shutdown_cmd;	/* RB_POWER_OFF or RB_AUTOBOOT once requested */
static int pid1_is_pid1;

static const char *const pid1_dhcp_argv[] = {
	"init", "dhcp", "--iface", "eth0", "--ready-fd", "3", NULL
};
static const char *const pid1_httpd_argv[] = {
	"init", "httpd", "--port", "8080", "--ready-fd", "3", NULL
};

/* The kernel may start us without fds 0-2 (no /dev/console in the
 * initramfs, or a console that failed): make sure they are open, so that
 * nothing we open later lands on 0-2 by accident. */
static void pid1_open_console(void)
{
	int fd, i;

	for (i = 0; i < 3; i++) {
		if (fcntl(i, F_GETFD) >= 0)
			continue;
		fd = open("/dev/console", O_RDWR | O_NOCTTY);
		if (fd < 0)
			fd = open("/dev/null", O_RDWR);
		if (fd >= 0 && fd != i) {
			dup2(fd, i);
			close(fd);
		}
	}
}

/* minilinux-XXXXXX from the last three bytes of eth0's MAC
 * ("52:54:00:12:34:56" -> "minilinux-123456"). */
static void pid1_set_hostname(void)
{
	char mac[32] = "", name[32], hosts[128];
	ssize_t n = -1;
	int fd, len;

	fd = open("/sys/class/net/eth0/address", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, mac, sizeof(mac) - 1);
		close(fd);
	}
	/* The last three bytes are the last 8 characters before the newline. */
	if (n >= 17 && mac[11] == ':' && mac[14] == ':')
		snprintf(name, sizeof(name), "minilinux-%.2s%.2s%.2s", mac + 9, mac + 12, mac + 15);
	else
		snprintf(name, sizeof(name), "minilinux");
	if (sethostname(name, strlen(name)) < 0)
		log_warn("sethostname %s", name);
	else
		log_info("Hostname: %s", name);

	len = snprintf(hosts, sizeof(hosts), "127.0.0.1\tlocalhost\n::1\tlocalhost\n127.0.1.1\t%s\n", name);
	fd = open("/etc/hosts", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		(void)!write(fd, hosts, (size_t)len);
		close(fd);
	}
}

static void pid1_on_ready(void)
{
	int64_t now = loop_boottime_ms();

	log_info("System ready in %lld ms (kernel %lld ms, init %lld ms)",
		 (long long)now, (long long)pid1_start_ms, (long long)(now - pid1_start_ms));
}

static void pid1_finish(void)
{
	int i;

	/* Whatever is left (orphans, stray processes): TERM, a moment, KILL. */
	kill(-1, SIGTERM);
	for (i = 0; i < 20 && waitpid(-1, NULL, WNOHANG) >= 0; i++)
		usleep(10000);
	kill(-1, SIGKILL);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	if (!pid1_is_pid1) {
		log_info("Services stopped");
		_exit(0);
	}
	mount_teardown();
	log_info("%s", pid1_shutdown_cmd == (int)RB_AUTOBOOT ? "Rebooting" : "Powering off");
	reboot(pid1_shutdown_cmd);
	/* Still here: nothing else can be done but try the other way. */
	log_warn("reboot");
	reboot(RB_HALT_SYSTEM);
	for (;;)
		pause();
}

static void pid1_shutdown(int cmd, const char *why)
{
	if (pid1_shutdown_cmd) {
		log_info("%s: shutdown already in progress", why);
		return;
	}
	pid1_shutdown_cmd = cmd;
	log_info("%s: stopping services", why);
	svc_stop_all(PID1_GRACE_MS, pid1_finish);
}

static void pid1_on_power_button(void)
{
	pid1_shutdown(RB_POWER_OFF, "Power button");
}

static void pid1_on_signal(int fd, uint32_t events, void *arg)
{
	struct signalfd_siginfo si;

	(void)events;
	(void)arg;
	while (read(fd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGCHLD:
			svc_reap();
			break;
		case SIGTERM:
		case SIGPWR:
		case SIGUSR2:
			pid1_shutdown(RB_POWER_OFF, strsignal((int)si.ssi_signo));
			break;
		case SIGINT:	/* ctrl-alt-del, with RB_DISABLE_CAD */
		case SIGUSR1:
			pid1_shutdown(RB_AUTOBOOT, strsignal((int)si.ssi_signo));
			break;
		default:
			break;
		}
	}
}

static void pid1_on_reap_timer(struct loop_timer *t)
{
	svc_reap();
	loop_timer_arm(t, PID1_REAP_MS);
}

int pid1_main(int argc, char **argv)
{
	static struct loop_timer reap_timer = { .fn = pid1_on_reap_timer, .slot = -1 };
	sigset_t all;
	int sfd;

	(void)argc;
	(void)argv;
	pid1_is_pid1 = getpid() == 1;
	pid1_start_ms = loop_boottime_ms();
	pid1_open_console();
	log_info("minilinux init starting");

	/* All signals are read from a signalfd in the loop; none interrupts. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	if (pid1_is_pid1)
		reboot(RB_DISABLE_CAD);	/* ctrl-alt-del arrives as SIGINT */
	else
		prctl(PR_SET_CHILD_SUBREAPER, 1);

	if (loop_init() < 0)
		log_warn("epoll");
	sfd = signalfd(-1, &all, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0 || loop_add_fd(sfd, EPOLLIN, pid1_on_signal, NULL) < 0)
		log_warn("signalfd");
	loop_timer_arm(&reap_timer, PID1_REAP_MS);

	if (pid1_is_pid1) {
		mount_api_filesystems();
		umask(022);
		pid1_set_hostname();
		if (nl_link_up_name("lo") < 0)
			log_warn("bring up lo");
		if (power_watch_buttons(pid1_on_power_button) == 0)
			log_warnx("no power button found; the system powers off only on a signal");
	}

	if (access("/sys/class/net/eth0", F_OK) == 0)
		svc_add("dhcp", pid1_dhcp_argv, SVC_F_SELF | SVC_F_NOTIFY, SVC_RESTART_ALWAYS);
	else
		log_warnx("no eth0: networking not configured");
	svc_add("httpd", pid1_httpd_argv, SVC_F_SELF | SVC_F_NOTIFY, SVC_RESTART_ALWAYS);
	svc_on_all_ready(pid1_on_ready);
	svc_start_all();

	for (;;)
		loop_run_once();
}
