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
 * no network, and it exits once its services have stopped. */
#include "pure/config.h"
#include "pure/signame.h"
#include "lib/log.h"
#include "pid1/loop.h"
#include "pid1/mount.h"
#include "pure/netcfg.h"
#include "lib/netlink.h"
#include "pid1/power.h"
#include "lib/roles.h"
#include "pid1/supervise.h"

#include <errno.h>
#include <fcntl.h>
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

static const char pid1_default_config[] =
	"[service httpd]\n"
	"exec = @httpd --port 8080\n";

static struct config pid1_cfg;
/* /proc/cmdline, read once after /proc is mounted: the host name and the
 * services' overrides both come from it. Length -1 when unread. */
static char pid1_cmdline[PID1_CMDLINE_MAX];
static ssize_t pid1_cmdline_len = -1;
static struct svc_config pid1_dhcp_cfg;
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
	ssize_t n, got = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((size_t)got < len - 1 && (n = read(fd, buf + got, len - 1 - (size_t)got)) > 0)
		got += n;
	close(fd);
	buf[got] = '\0';
	return got;
}

static void pid1_config_error(void *arg, int line, const char *msg)
{
	if (line)
		log_warnx("%s:%d: %s", (const char *)arg, line, msg);
	else
		log_warnx("%s: %s", (const char *)arg, msg);
}

static void pid1_load_config(const char *path)
{
	static char buf[CONFIG_FILE_MAX + 1];
	ssize_t n;

	n = pid1_read_file(path, buf, sizeof(buf));
	if (n < 0) {
		if (errno != ENOENT)
			log_warn("%s", path);
		log_info("No %s: running the built-in HTTP server", path);
		config_parse(&pid1_cfg, pid1_default_config, sizeof(pid1_default_config) - 1,
			     pid1_config_error, (void *)"built-in configuration");
	} else {
		config_parse(&pid1_cfg, buf, (size_t)n, pid1_config_error, (void *)path);
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
	for (;;)
		pause();
}

/* A crash of PID 1 itself (a fault the kernel would turn into a panic):
 * say so, sync, and reboot or power off as configured. */
static void pid1_on_crash(int sig)
{
	static const char msg[] = ":: fatal: init crashed; syncing and stopping the machine\n";

	(void)sig;
	(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
	sync();
	reboot(pid1_cfg.fatal_reboot ? RB_AUTOBOOT : RB_POWER_OFF);
	_exit(1);
}

static void pid1_on_power_button(void)
{
	pid1_shutdown(RB_POWER_OFF, "Power button");
}

static void pid1_on_ctrl_alt_del(void)
{
	pid1_shutdown(RB_AUTOBOOT, "Ctrl-Alt-Del");
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
	loop_timer_arm(t, PID1_REAP_MS);
}

static void pid1_add_services(void)
{
	static const char *const dhcp_argv[] = { "@dhcp", "--iface", "eth0", NULL };
	int i;

	if (pid1_is_pid1 && access("/sys/class/net/eth0", F_OK) == 0) {
		struct svc_config *d = &pid1_dhcp_cfg;

		/* Root, but only the capabilities it needs: its sockets (port
		 * 68, packet sockets), addresses and routes. Once its sockets
		 * are open it keeps NET_ADMIN and NET_RAW alone (SETPCAP lets
		 * it narrow its own bounding set). */
		strcpy(d->name, "dhcp");
		memcpy(d->argv, dhcp_argv, sizeof(dhcp_argv));
		d->argc = 3;
		d->builtin = 1;
		d->restart = CONFIG_RESTART_ALWAYS;
		d->caps = 1ULL << 12 | 1ULL << 13 | 1ULL << 10 | 1ULL << 8;
		/* NET_ADMIN, NET_RAW, NET_BIND_SERVICE, SETPCAP */
		d->valid = 1;
		svc_add(d, SVC_F_NOTIFY | SVC_F_NETWORK);
	} else if (pid1_is_pid1) {
		log_warnx("no eth0: networking not configured");
	}
	for (i = 0; i < pid1_cfg.nsvc; i++)
		svc_add(&pid1_cfg.svc[i], pid1_cfg.svc[i].builtin ? SVC_F_NOTIFY : 0);
}

static void pid1_catch_crashes(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
	struct sigaction sa = { .sa_handler = pid1_on_crash };
	sigset_t set;
	size_t i;

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
	log_info("minilinux init starting");

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
		pid1_cmdline_len = pid1_read_file("/proc/cmdline", pid1_cmdline,
						  sizeof(pid1_cmdline));
		umask(022);
		pid1_set_hostname();
		if (nl_link_up_name("lo") < 0)
			log_warn("bring up lo");
		pid1_mark("lo");
		if (power_watch_buttons(pid1_on_power_button, pid1_on_ctrl_alt_del) == 0)
			log_warnx("no power button found; the system powers off only on a signal");
	}
	pid1_load_config(config_path);

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
	n = pid1_read_file(argv[1], buf, sizeof(buf));
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
