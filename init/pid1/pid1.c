/* pid1.c - the duties of PID 1: console fds, signals, mounts, hostname,
 * starting the services, reaping, and an orderly power-off.
 *
 * PID 1 must never exit (the kernel panics), so nothing here returns: a
 * failed step is logged and the system carries on; the end of the line is
 * always reboot(2). The parts that read network input run as supervised
 * children (roles of this same binary).
 *
 * Started as `init pid1 --config FILE` by a process that is not PID 1, the
 * same code is a subreaper supervisor on the host (for tests): no mounts,
 * no network, and it exits once its services have stopped.
 *
 * Shutdown: the power button, ctrl-alt-del, or SIGTERM, SIGPWR, SIGUSR2
 * (power off), SIGUSR1 (reboot), SIGINT (the kernel's ctrl-alt-del) from an
 * accepted sender (pid1_sender_allowed). Services stop in reverse order
 * within one deadline (supervise.c); a second request means now. */
#include "pure/config.h"
#include "pure/signame.h"
#include "install/install.h"
#include "lib/fio.h"
#include "lib/log.h"
#include "pid1/boot_assess.h"
#include "pid1/control.h"
#include "pid1/loop.h"
#include "pid1/mount.h"
#include "pure/netcfg.h"
#include "lib/netlink.h"
#include "pid1/power.h"
#include "pid1/remote_log.h"
#include "lib/roles.h"
#include "pid1/storage.h"
#include "pid1/supervise.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PID1_REAP_MS      10000	/* periodic reap: orphans' SIGCHLDs coalesce */
#define PID1_MAX_MARKS    16
#define PID1_CMDLINE_MAX  4096
#define PID1_ALTSTACK_SIZE 16384	/* the crash handler's stack: above musl's SIGSTKSZ */
#define PID1_MAX_ANCESTRY 4096	/* parent links followed to place a signal's sender */
#define PID1_NET_DIR      "/run/net"	/* the DHCP client's: resolv.conf */
#define PID1_RESOLV_CONF  "/etc/resolv.conf"
#define PID1_TIME_DIR     "/run/time"	/* the SNTP client's: its status */
#define PID1_HTTPD_DIR    "/run/httpd"	/* the built-in server's: its counters */

static const char pid1_default_config[] =
	"[service httpd]\n"
	"exec = @httpd --port 8080 --status " PID1_HTTPD_DIR "/status\n";

static struct config pid1_cfg;
/* /proc/cmdline, read once after /proc is mounted: the host name and the
 * services' overrides both come from it. Length -1 when unread. */
static char pid1_cmdline[PID1_CMDLINE_MAX];
static ssize_t pid1_cmdline_len = -1;
static struct svc_config pid1_dhcp_cfg;
static struct svc_config pid1_sntp_cfg;
#ifndef MINILINUX_NO_ADMIN
static struct svc_config pid1_admin_cfg;
#endif
static int pid1_shutdown_cmd;	/* RB_POWER_OFF or RB_AUTOBOOT once requested */
static int pid1_is_pid1;

/* Boot timeline: CLOCK_BOOTTIME at each milestone, ms since the kernel
 * started. */
static struct { const char *name; long long ms; } pid1_marks[PID1_MAX_MARKS];
static int pid1_nmarks;

static void pid1_mark(const char *name)
{
	if (pid1_nmarks < PID1_MAX_MARKS) {
		pid1_marks[pid1_nmarks].name = name;
		pid1_marks[pid1_nmarks].ms = (long long)loop_boottime_ms();
		pid1_nmarks++;
	}
}

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

/* The screen: when the command line names tty0 as a console besides a
 * later one (console=tty0 console=ttyS0: /dev/console is the serial
 * port, the last one named), PID 1's lines, and through it the services',
 * go to the screen's terminal as well. */
static void pid1_open_screen(void)
{
	const char *p = pid1_cmdline, *end = pid1_cmdline + (pid1_cmdline_len > 0 ? pid1_cmdline_len : 0);
	const char *word, *last = NULL;
	int tty0 = 0, last_tty0 = 0;

	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\n'))
			p++;
		for (word = p; p < end && *p != ' ' && *p != '\n'; p++)
			;
		if (p - word < 8 || memcmp(word, "console=", 8) != 0)
			continue;
		last = word + 8;
		last_tty0 = p - last == 4 && memcmp(last, "tty0", 4) == 0;
		tty0 |= last_tty0;
	}
	if (tty0 && last && !last_tty0)
		log_mirror_fd = open("/dev/tty0", O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
}

/* The host name from a static ip= configuration, or else
 * minilinux-XXXXXX from the last three bytes of eth0's MAC
 * ("52:54:00:12:34:56" -> "minilinux-123456"). */
static void pid1_set_hostname(void)
{
	char mac[32] = "", name[NETCFG_HOSTNAME_MAX + 1], hosts[160];
	struct netcfg nc;
	const char *why;
	ssize_t n = -1;
	int fd, len;

	fd = open("/sys/class/net/eth0/address", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, mac, sizeof(mac) - 1);
		close(fd);
	}
	/* netcfg validates it (RFC 1123); the DHCP client reports a bad ip=. */
	if (pid1_cmdline_len > 0 &&
	    netcfg_parse_cmdline(pid1_cmdline, (size_t)pid1_cmdline_len, "eth0", &nc, &why) > 0 &&
	    nc.hostname[0])
		snprintf(name, sizeof(name), "%s", nc.hostname);
	/* The last three bytes are the last 8 characters before the newline. */
	else if (n >= 17 && mac[11] == ':' && mac[14] == ':')
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

/* Read a whole small file into BUF (NUL-terminated); -1 on error. */
static ssize_t pid1_read_file(const char *path, char *buf, size_t len)
{
	return fio_read_small(AT_FDCWD, path, 0, buf, len);
}

/* The image's version (image/system.sh writes it; VERSION= at build). */
#define VERSION_PATH "/etc/minilinux/version"
static char pid1_version[65] = "unknown";

static void pid1_read_version(const char *path)
{
	char buf[sizeof(pid1_version) + 1];
	ssize_t n = pid1_read_file(path, buf, sizeof(buf));

	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	if (n > 0 && (size_t)n < sizeof(pid1_version))
		memcpy(pid1_version, buf, (size_t)n + 1);
}

static void pid1_config_error(void *arg, int line, const char *msg)
{
	if (line)
		log_warnx("%s:%d: %s", (const char *)arg, line, msg);
	else
		log_warnx("%s: %s", (const char *)arg, msg);
}

/* One limit, one error, at boot as in check-config: read one byte more
 * than CONFIG_FILE_MAX into BUF (CONFIG_FILE_MAX + 2 bytes), so that the
 * parser sees a file that is too large and refuses it whole, instead of
 * running what fits. */
static ssize_t pid1_read_config(const char *path, char *buf)
{
	return pid1_read_file(path, buf, CONFIG_FILE_MAX + 2);
}

static void pid1_load_config(const char *path)
{
	static char buf[CONFIG_FILE_MAX + 2];
	ssize_t n;

	n = pid1_read_config(path, buf);
	if (n < 0) {
		if (errno != ENOENT)
			log_warn("%s", path);
		log_info("No %s: running the built-in HTTP server", path);
		config_parse(&pid1_cfg, pid1_default_config, sizeof(pid1_default_config) - 1,
			     pid1_config_error, (void *)"built-in configuration");
	} else {
		config_parse(&pid1_cfg, buf, (size_t)n, pid1_config_error, (void *)path);
		if (n > CONFIG_FILE_MAX)
			log_warnx("%s: refused whole, as check-config refuses it: no services from it", path);
	}
	if (pid1_cmdline_len > 0)
		config_apply_cmdline(&pid1_cfg, pid1_cmdline, (size_t)pid1_cmdline_len,
				     pid1_config_error, (void *)"kernel command line");
}

static void pid1_on_ready(const char *name)
{
	pid1_mark(name);
}

static void pid1_on_all_ready(void)
{
	char line[LOG_LINE_MAX];
	long long now = (long long)loop_boottime_ms(), start = pid1_marks[0].ms;
	size_t len = 0;
	int i, n;

	log_info("System ready in %lld ms (kernel %lld ms, init %lld ms)",
		 now, start, now - start);
	/* One machine-readable line: milestones in ms since the kernel started. */
	for (i = 0; i < pid1_nmarks && len < sizeof(line); i++) {
		n = snprintf(line + len, sizeof(line) - len, " %s=%lld",
			     pid1_marks[i].name, pid1_marks[i].ms);
		if (n > 0)
			len += (size_t)n;
	}
	if (len >= sizeof(line))
		len = sizeof(line) - 1;
	line[len] = '\0';
	log_info("Timeline:%s ready=%lld", line, now);
}

static void pid1_finish(void)
{
	int i;

	/* Whatever is left (orphans, stray processes): TERM, a moment, KILL. */
	if (pid1_is_pid1) {
		kill(-1, SIGTERM);
		for (i = 0; i < 20 && waitpid(-1, NULL, WNOHANG) >= 0; i++)
			usleep(10000);
		kill(-1, SIGKILL);
	}
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	if (!pid1_is_pid1) {
		log_info("Services stopped");
		_exit(0);
	}
	boot_assess_stop();
	storage_teardown();
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
	/* A second request (the button pressed again during a stuck stop)
	 * means now: SIGKILL, sync, unmount, power off or reboot. */
	if (pid1_shutdown_cmd) {
		log_info("%s: second request: stopping now", why);
		svc_stop_now();
		return;
	}
	pid1_shutdown_cmd = cmd;
	boot_assess_on_shutdown();
	log_info("%s: stopping services", why);
	svc_stop_all(pid1_cfg.grace_ms, pid1_finish);
}

/* An internal error PID 1 cannot carry on from: never a kernel panic. */
static void pid1_fatal(const char *what)
{
	log_warn("fatal: %s; %s", what, pid1_cfg.fatal_reboot ? "rebooting" : "powering off");
	if (!pid1_is_pid1)
		_exit(1);
	sync();
	reboot(pid1_cfg.fatal_reboot ? RB_AUTOBOOT : RB_POWER_OFF);
	reboot(pid1_cfg.fatal_reboot ? RB_POWER_OFF : RB_AUTOBOOT);
	for (;;)
		pause();
}

/* A crash of PID 1 itself (a fault the kernel would turn into a panic):
 * say so, sync, and reboot or power off as configured. It runs on its own
 * stack (sigaltstack), so that a stack overflow is caught too, and never
 * returns or exits: PID 1 exiting is a kernel panic. If reboot(2) fails,
 * the other command, then sleep for ever. */
static void pid1_on_crash(int sig, siginfo_t *si, void *uc)
{
	static const char msg[] = ":: fatal: init crashed; syncing and stopping the machine\n";
	static const char sent[] = ":: a crash signal sent by a process of ours: ignored\n";
	int first = pid1_cfg.fatal_reboot ? RB_AUTOBOOT : RB_POWER_OFF;

	(void)sig;
	(void)uc;
	/* Sent with kill(2) by a process of ours (si_code <= 0, a pid), not
	 * raised by a fault: no crash, and no way for a service to stop the
	 * machine. From outside our PID namespace (pid 0) or from ourselves
	 * (abort) it counts. Only async-signal-safe calls here. */
	if (si && si->si_code <= 0 && si->si_pid != 0 && si->si_pid != getpid()) {
		(void)!write(STDERR_FILENO, sent, sizeof(sent) - 1);
		return;
	}
	(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
	sync();
	reboot(first);
	reboot(first == (int)RB_AUTOBOOT ? RB_POWER_OFF : RB_AUTOBOOT);
	for (;;)
		pause();
}

static void pid1_on_update_reboot(const char *why)
{
	pid1_shutdown(RB_AUTOBOOT, why);
}

static void pid1_on_power_button(void)
{
	pid1_shutdown(RB_POWER_OFF, "Power button");
}

static void pid1_on_ctrl_alt_del(void)
{
	pid1_shutdown(RB_AUTOBOOT, "Ctrl-Alt-Del");
}

/* The keyboard's ctrl-alt-del as an input event: with a virtual terminal
 * the kernel's keyboard handler sends the same press as SIGINT, so it is
 * taken from there alone (else one press would count as two requests). */
static void pid1_on_cad_key(void)
{
	if (access("/sys/class/tty/tty0", F_OK) == 0)
		return;
	pid1_on_ctrl_alt_del();
}

/* The parent of PID in /proc/PID/stat, or -1 (gone, or unreadable). */
static pid_t pid1_parent_of(pid_t pid)
{
	char path[32], buf[512], *p;
	ssize_t n;
	long ppid;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	n = pid1_read_file(path, buf, sizeof(buf));
	/* "pid (comm) state ppid ...": comm may hold anything, even ')'. */
	if (n <= 0 || !(p = strrchr(buf, ')')) || p[1] != ' ' || !p[2] || p[3] != ' ')
		return -1;
	for (p += 4, ppid = 0; *p >= '0' && *p <= '9'; p++)
		ppid = ppid * 10 + (*p - '0');
	return *p == ' ' ? (pid_t)ppid : -1;
}

/* May the sender of SI stop or restart the machine? The rule: the kernel
 * (si_code SI_KERNEL: ctrl-alt-del, a power event) and any process that
 * does not descend from us. Every service, and everything a service
 * starts, descends from us: its chain of parents (/proc/PID/stat) reaches
 * our pid, and stays so when a parent dies, because orphans go to PID 1
 * (or to us, the subreaper, on the host). A process that we cannot place,
 * because it has gone by now, is refused: it may have been a service's.
 * Accepted therefore: pid 0, which is how the kernel shows a sender
 * outside our PID namespace (pid_namespaces(7): a container runtime, the
 * host, the test harness of a namespace test); kernel threads and what
 * they start (their chain ends in kthreadd, pid 2, whose parent is 0);
 * and on the host the harness that started the supervisor. The check is
 * made when the signal is read, so a sender that exited and whose pid
 * was reused in between is judged by the new process: with pid reuse
 * that fast only in theory, this is the accepted risk. */
static int pid1_sender_allowed(const struct signalfd_siginfo *si)
{
	pid_t self = getpid(), pid = (pid_t)si->ssi_pid;
	int i;

	if (si->ssi_code == SI_KERNEL || pid == 0 || pid == self)
		return 1;
	for (i = 0; i < PID1_MAX_ANCESTRY; i++) {
		pid = pid1_parent_of(pid);
		if (pid < 0 || pid == self)
			return 0;
		if (pid == 0 || pid == 1)
			return 1;	/* the root of another tree: not ours */
	}
	return 0;
}

static void pid1_on_signal(int fd, uint32_t events, void *arg)
{
	struct signalfd_siginfo si;

	(void)events;
	(void)arg;
	while (read(fd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGPWR:
		case SIGUSR2:
		case SIGINT:
		case SIGUSR1:
			if (pid1_sender_allowed(&si))
				break;
			log_warnx("%s from pid %u, a process of ours: ignored",
				  signal_name((int)si.ssi_signo), (unsigned)si.ssi_pid);
			continue;
		default:
			break;
		}
		switch (si.ssi_signo) {
		case SIGCHLD:
			svc_reap();
			break;
		case SIGTERM:
		case SIGPWR:
		case SIGUSR2:
			pid1_shutdown(RB_POWER_OFF, signal_name((int)si.ssi_signo));
			break;
		case SIGINT:	/* ctrl-alt-del, with RB_DISABLE_CAD */
			pid1_on_ctrl_alt_del();
			break;
		case SIGUSR1:
			pid1_shutdown(RB_AUTOBOOT, signal_name((int)si.ssi_signo));
			break;
		default:
			break;
		}
	}
}

static void pid1_on_reap_timer(struct loop_timer *t)
{
	svc_reap();
	log_report_dropped();	/* a quiet console gets the count too */
	loop_timer_arm(t, PID1_REAP_MS);
}

/* The DHCP client writes the resolver configuration, not as root: into
 * a directory of its own, which /etc/resolv.conf points into. */
static void pid1_prepare_net_dir(void)
{
	if (mkdir(PID1_NET_DIR, 0755) < 0 && errno != EEXIST)
		log_warn("mkdir %s", PID1_NET_DIR);
	if (chown(PID1_NET_DIR, CONFIG_DHCP_UID, CONFIG_DHCP_UID) < 0 ||
	    chmod(PID1_NET_DIR, 0755) < 0)
		log_warn("chown %s", PID1_NET_DIR);
	if (unlink(PID1_RESOLV_CONF) < 0 && errno != ENOENT)
		log_warn("unlink %s", PID1_RESOLV_CONF);
	if (symlink(PID1_NET_DIR "/resolv.conf", PID1_RESOLV_CONF) < 0)
		log_warn("symlink %s", PID1_RESOLV_CONF);
}

/* The SNTP client: its own uid, CAP_SYS_TIME alone, started once the
 * network is up; servers from the configuration, or else DHCP's. */
static void pid1_add_sntp(void)
{
	struct svc_config *t = &pid1_sntp_cfg;

	if (mkdir(PID1_TIME_DIR, 0755) < 0 && errno != EEXIST)
		log_warn("mkdir %s", PID1_TIME_DIR);
	if (chown(PID1_TIME_DIR, CONFIG_SNTP_UID, CONFIG_SNTP_UID) < 0)
		log_warn("chown %s", PID1_TIME_DIR);
	svc_config_builtin(t, CONFIG_SNTP_NAME, "@sntp", CONFIG_SNTP_UID, 1ULL << CAP_SYS_TIME);
	if (pid1_cfg.ntp[0]) {
		t->argv[t->argc++] = "--servers";
		t->argv[t->argc++] = pid1_cfg.ntp;
	}
	t->wait_network = 1;
	svc_add(t, 0);
}

/* The DHCP client, added and started before anything else: the first
 * answer waits for its lease, and it needs only the API file systems
 * (docs/boot-time.md). */
static void pid1_start_dhcp(void)
{
	if (access("/sys/class/net/eth0", F_OK) == 0) {
		struct svc_config *d = &pid1_dhcp_cfg;

		/* A user of its own, with only the capabilities it needs, as
		 * ambient capabilities: addresses and routes (NET_ADMIN), the
		 * packet socket (NET_RAW), port 68 (NET_BIND_SERVICE, which it
		 * drops itself once bound). */
		pid1_prepare_net_dir();
		svc_config_builtin(d, CONFIG_DHCP_NAME, "@dhcp", CONFIG_DHCP_UID,
				   1ULL << CAP_NET_ADMIN | 1ULL << CAP_NET_RAW | 1ULL << CAP_NET_BIND_SERVICE);
		d->argv[d->argc++] = "--iface";
		d->argv[d->argc++] = "eth0";
		svc_add(d, SVC_F_NOTIFY | SVC_F_NETWORK);
		svc_start_all();
	} else {
		log_warnx("no eth0: networking not configured");
	}
}

#ifndef MINILINUX_NO_ADMIN
/* The admin API (init/admin/): uid 102, no capabilities (its port is
 * above 1024), and PID 1's authority only through the control channel. */
static void pid1_admin_reboot(void)
{
	pid1_shutdown(RB_AUTOBOOT, "Admin API");
}

static void pid1_admin_poweroff(void)
{
	pid1_shutdown(RB_POWER_OFF, "Admin API");
}

static void pid1_add_admin(void)
{
	struct svc_config *a = &pid1_admin_cfg;
	int i, fd;

	if (pid1_is_pid1) {
		svc_config_builtin(a, "admin", "@admin", CONFIG_ADMIN_UID, 0);
		if (svc_add(a, SVC_F_NOTIFY) < 0)
			return;
	} else {
		/* On the host: the services file's @admin (tests). */
		for (i = 0; i < pid1_cfg.nsvc; i++)
			if (strcmp(pid1_cfg.svc[i].argv[0], "@admin") == 0)
				break;
		if (i == pid1_cfg.nsvc)
			return;
		a = &pid1_cfg.svc[i];
	}
	fd = control_open(pid1_version, pid1_admin_reboot, pid1_admin_poweroff);
	if (fd >= 0)
		svc_set_control_fd(a->name, fd);
}
#endif

static void pid1_add_services(void)
{
	int i;

	if (pid1_dhcp_cfg.valid)
		pid1_add_sntp();
	for (i = 0; i < pid1_cfg.nsvc; i++) {
		const struct svc_config *c = &pid1_cfg.svc[i];

		/* The built-in server's counters (--status), for the admin API. */
		if (pid1_is_pid1 && strcmp(c->name, "httpd") == 0 && c->builtin &&
		    (mkdir(PID1_HTTPD_DIR, 0755) == 0 || errno == EEXIST) &&
		    chown(PID1_HTTPD_DIR, c->uid, c->gid) < 0)
			log_warn("chown %s", PID1_HTTPD_DIR);
		svc_add(c, c->builtin ? SVC_F_NOTIFY : 0);
	}
#ifndef MINILINUX_NO_ADMIN
	pid1_add_admin();
#endif
}

static void pid1_catch_crashes(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
	static char altstack[PID1_ALTSTACK_SIZE];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct sigaction sa = { .sa_sigaction = pid1_on_crash,
				.sa_flags = SA_SIGINFO | SA_ONSTACK };
	sigset_t set;
	size_t i;

	/* A stack overflow faults with no stack left to run a handler on. */
	if (sigaltstack(&ss, NULL) < 0)
		log_warn("sigaltstack");
	sigfillset(&sa.sa_mask);
	sigemptyset(&set);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sigaction(sigs[i], &sa, NULL);
		sigaddset(&set, sigs[i]);
	}
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

int pid1_main(int argc, char **argv)
{
	static struct loop_timer reap_timer = { .fn = pid1_on_reap_timer, .slot = -1 };
	const char *config_path = CONFIG_PATH;
	sigset_t all;
	int sfd, i;

	pid1_is_pid1 = getpid() == 1;
	pid1_mark("init");
	remote_log_init();	/* lines are queued until the target is known */
	pid1_open_console();
	config_init(&pid1_cfg);
	for (i = 1; !pid1_is_pid1 && i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			config_path = argv[++i];
		} else {
			dprintf(STDERR_FILENO, "usage: init pid1 [--config FILE]\n");
			return 2;
		}
	}
	pid1_read_version(VERSION_PATH);
	log_info("minilinux init starting (version %s)", pid1_version);
	/* On the host now; as PID 1 once /proc is there. */
	if (!pid1_is_pid1 && log_console_nonblock() < 0)
		log_warn("console");

	/* All signals are read from a signalfd in the loop; none interrupts. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	if (pid1_is_pid1) {
		pid1_catch_crashes();
		reboot(RB_DISABLE_CAD);	/* ctrl-alt-del arrives as SIGINT */
	} else {
		prctl(PR_SET_CHILD_SUBREAPER, 1);
	}

	if (loop_init() < 0)
		pid1_fatal("epoll");
	sfd = signalfd(-1, &all, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0 || loop_add_fd(sfd, EPOLLIN, pid1_on_signal, NULL) < 0)
		pid1_fatal("signalfd");
	loop_timer_arm(&reap_timer, PID1_REAP_MS);

	if (pid1_is_pid1) {
		mount_api_filesystems();
		pid1_mark("mounts");
		/* Nobody else has our console: set the flag on it if it cannot
		 * be reopened. */
		if (log_console_nonblock() < 0 &&
		    fcntl(STDERR_FILENO, F_SETFL, fcntl(STDERR_FILENO, F_GETFL) | O_NONBLOCK) < 0)
			log_warn("console");
		pid1_cmdline_len = pid1_read_file("/proc/cmdline", pid1_cmdline,
						  sizeof(pid1_cmdline));
		umask(022);
		pid1_open_screen();
		{
			static char disk[64];

			if (pid1_cmdline_len > 0 &&
			    install_requested(pid1_cmdline, (size_t)pid1_cmdline_len, disk, sizeof(disk)))
				install_run(disk);	/* powers off when done */
		}
		pid1_start_dhcp();
		pid1_mark("net");
		pid1_set_hostname();
		if (nl_link_up_name("lo") < 0)
			log_warn("bring up lo");
		pid1_mark("lo");
		if (power_watch_buttons(pid1_on_power_button, pid1_on_cad_key) == 0)
			log_warnx("no power button found; the system powers off only on a signal");
	}
	pid1_load_config(config_path);
	remote_log_open(pid1_cfg.syslog, pid1_is_pid1 ? REMOTE_LOG_STATUS : NULL);
	/* Before the services: those with state need /data when they start. */
	if (pid1_is_pid1) {
		storage_setup(pid1_cfg.data_dev, pid1_cfg.data_reset);
		pid1_mark("data");
		/* A/B updates: the ESP, the trial's commit, the update role. */
		boot_assess_start(&pid1_cfg, pid1_version, pid1_on_update_reboot);
	}

	pid1_add_services();
	svc_on_each_ready(pid1_on_ready);
	svc_on_all_ready(pid1_on_all_ready);
	svc_start_all();
	pid1_mark("started");

	for (;;)
		loop_run_once();
}

/* `init check-config FILE`: the image build's check of a services file,
 * with the same parser PID 1 uses at boot. */
static void check_config_error(void *arg, int line, const char *msg)
{
	dprintf(STDERR_FILENO, "%s:%d: %s\n", (const char *)arg, line, msg);
}

int check_config_main(int argc, char **argv)
{
	static char buf[CONFIG_FILE_MAX + 2];
	ssize_t n;
	int errors;

	if (argc != 2) {
		dprintf(STDERR_FILENO, "usage: init check-config FILE\n");
		return 2;
	}
	n = pid1_read_config(argv[1], buf);
	if (n < 0) {
		dprintf(STDERR_FILENO, "%s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	config_init(&pid1_cfg);
	errors = config_parse(&pid1_cfg, buf, (size_t)n, check_config_error, argv[1]);
	if (errors)
		return 1;
	dprintf(STDOUT_FILENO, "%s: %d service%s\n", argv[1], pid1_cfg.nsvc, pid1_cfg.nsvc == 1 ? "" : "s");
	return 0;
}
