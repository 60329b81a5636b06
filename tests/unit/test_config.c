/* Unit tests: the services file parser, the kernel command line overrides,
 * and the bounded log ring. */
#include "check.h"
#include "pure/config.h"
#include "pure/log_ring.h"
#include "pure/signame.h"

#include <string.h>

static struct config cfg;
static int err_lines[32];
static int nerr;

static void on_err(void *arg, int line, const char *msg)
{
	(void)arg;
	(void)msg;
	if (nerr < 32)
		err_lines[nerr] = line;
	nerr++;
}

static int parse(const char *text)
{
	config_init(&cfg);
	nerr = 0;
	return config_parse(&cfg, text, strlen(text), on_err, NULL);
}

static void test_good(void)
{
	struct svc_config *s;

	CHECK(parse("# comment\n"
		    "[system]\n"
		    "grace = 7\n"
		    "on-fatal = reboot\n"
		    "\n"
		    "[service web]\n"
		    "exec = /app/web --port 8080 \"two words\" 'single \"q\"' a\\\\b\n"
		    "env = A=1\n"
		    "env = B=two words\n"
		    "user = 1000\n"
		    "restart = on-failure\n"
		    "network = wait\n"
		    "capabilities = CAP_NET_BIND_SERVICE, net_raw\n"
		    "[service hello]\n"
		    "exec = @httpd\n") == 0);
	CHECK(cfg.nsvc == 2);
	CHECK(cfg.grace_ms == 7000);
	CHECK(cfg.fatal_reboot == 1);
	s = config_find(&cfg, "web");
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK(s->argc == 6);
	CHECK(strcmp(s->argv[0], "/app/web") == 0);
	CHECK(strcmp(s->argv[3], "two words") == 0);
	CHECK(strcmp(s->argv[4], "single \"q\"") == 0);
	CHECK(strcmp(s->argv[5], "a\\\\b") == 0);	/* backslashes are literal outside quotes */
	CHECK(s->argv[6] == NULL);
	CHECK(s->envc == 2 && strcmp(s->env[1], "B=two words") == 0 && s->env[2] == NULL);
	CHECK(s->uid == 1000 && s->gid == 1000);	/* group defaults to the user */
	CHECK(s->restart == CONFIG_RESTART_ON_FAILURE);
	CHECK(s->wait_network == 1);
	CHECK(s->caps == ((1ULL << 10) | (1ULL << 13)));
	CHECK(!s->builtin);
	s = config_find(&cfg, "hello");
	/* The default uid: 20000 + FNV-1a("hello") % 10000 = 0x4f9f2cab % 10000. */
	CHECK(s && s->builtin && s->uid == 21723 && s->gid == 21723 &&
	      s->restart == CONFIG_RESTART_ALWAYS);
}

/* FNV-1a test vectors (draft-eastlake-fnv, the reference fnv32a). */
static void test_fnv(void)
{
	CHECK(config_fnv1a("", 0) == 0x811c9dc5u);
	CHECK(config_fnv1a("a", 1) == 0xe40c292cu);
	CHECK(config_fnv1a("foobar", 6) == 0xbf9cf968u);
	CHECK(config_fnv1a("httpd", 5) == 0xc9de87d3u);
}

/* Each service its own uid and gid by default; the documented scheme. */
static void test_default_uids(void)
{
	struct svc_config *a, *b;

	CHECK(parse("[service httpd]\nexec = @httpd\n[service app]\nexec = /app/x\n") == 0);
	a = config_find(&cfg, "httpd");
	b = config_find(&cfg, "app");
	CHECK(a && b);
	if (!a || !b)
		return;
	CHECK(a->uid == 24179 && a->gid == 24179);	/* 0xc9de87d3 % 10000 = 4179 */
	CHECK(b->uid == 24092 && b->gid == 24092);	/* 0x1f6a832c % 10000 = 4092 */
	CHECK(a->uid != b->uid);

	/* "dx" and "ka" hash to the same uid, 27969: the later takes the next. */
	CHECK(parse("[service dx]\nexec = /x\n[service ka]\nexec = /y\n") == 0);
	CHECK(cfg.svc[0].uid == 27969 && cfg.svc[1].uid == 27970 && cfg.svc[1].gid == 27970);
	/* In the other order, too: the earlier one keeps the hash's uid. */
	CHECK(parse("[service ka]\nexec = /x\n[service dx]\nexec = /y\n") == 0);
	CHECK(cfg.svc[0].uid == 27969 && cfg.svc[1].uid == 27970);

	/* A uid taken by `user =` counts as taken; past 29999 it wraps to 20000
	 * ("s3833" hashes to 29999). */
	CHECK(parse("[service x]\nexec = /x\nuser = 29999\n[service s3833]\nexec = /y\n") == 0);
	CHECK(cfg.svc[0].uid == 29999 && cfg.svc[0].gid == 29999);
	CHECK(cfg.svc[1].uid == 20000 && cfg.svc[1].gid == 20000);

	/* user and group override the default, nobody still means 65534. */
	CHECK(parse("[service a]\nexec = /x\nuser = nobody\n[service b]\nexec = /y\ngroup = 7\n") == 0);
	CHECK(cfg.svc[0].uid == CONFIG_NOBODY_UID && cfg.svc[0].gid == CONFIG_NOBODY_UID);
	CHECK(cfg.svc[1].uid == config_default_uid(&cfg, 1, "b") && cfg.svc[1].gid == 7);
	CHECK(cfg.svc[1].uid == 25077);	/* 0xe70c2de5 % 10000 = 5077 */

	/* "dhcp" is PID 1's own service: reserved, in any case. */
	CHECK(parse("[service dhcp]\nexec = @dhcp\n") == 1 && cfg.nsvc == 0);
	CHECK(parse("[service DHCP]\nexec = /x\n") == 1 && cfg.nsvc == 0);
	CHECK(parse("[service dhcp2]\nexec = @dhcp --iface eth1\n") == 0 && cfg.nsvc == 1);
}

/* A line is applied whole or not at all. */
static void test_line_atomic(void)
{
	struct svc_config *s;
	size_t used;

	/* A failing second exec line: the first one stands. */
	CHECK(parse("[service a]\nexec = /bin/first one\nexec = /bin/x \"open\n") == 1);
	s = config_find(&cfg, "a");
	CHECK(s && s->valid && s->argc == 2 && strcmp(s->argv[0], "/bin/first") == 0 &&
	      strcmp(s->argv[1], "one") == 0 && s->argv[2] == NULL);
	CHECK(parse("[service a]\nexec = /bin/first\nexec = relative word\n") == 1);
	s = config_find(&cfg, "a");
	CHECK(s && s->valid && s->argc == 1 && strcmp(s->argv[0], "/bin/first") == 0 &&
	      s->argv[1] == NULL && !s->builtin);
	CHECK(parse("[service a]\nexec = @httpd --port 1\nexec = @nosuch\n") == 1);
	s = config_find(&cfg, "a");
	CHECK(s && s->valid && s->builtin && s->argc == 3 && strcmp(s->argv[0], "@httpd") == 0);
	/* An empty second exec: the same. */
	CHECK(parse("[service a]\nexec = /bin/first\nexec =\n") == 1);
	s = config_find(&cfg, "a");
	CHECK(s && s->valid && s->argc == 1 && strcmp(s->argv[0], "/bin/first") == 0);
	/* A failing first exec line leaves nothing behind: the service is
	 * dropped, and its words are not left in the pool. */
	CHECK(parse("[service a]\nexec = /bin/x \"open\n") == 2 && cfg.nsvc == 0);
	used = cfg.pool_used;
	CHECK(used == 0);
	/* A second good exec line replaces the first whole. */
	CHECK(parse("[service a]\nexec = /bin/one two three\nexec = /bin/two\n") == 0);
	s = config_find(&cfg, "a");
	CHECK(s && s->argc == 1 && strcmp(s->argv[0], "/bin/two") == 0 && s->argv[1] == NULL);
}

/* Unknown roles are errors: a typo must not restart forever at boot. */
static void test_roles(void)
{
	CHECK(parse("[service a]\nexec = @nosuch\n") == 2 && cfg.nsvc == 0);
	CHECK(parse("[service a]\nexec = @\n") == 2 && cfg.nsvc == 0);
	CHECK(parse("[service a]\nexec = @pid1\n") == 2 && cfg.nsvc == 0);
	CHECK(parse("[service a]\nexec = @check-config /x\n") == 2 && cfg.nsvc == 0);
	CHECK(parse("[service a]\nexec = @httpdx\n") == 2 && cfg.nsvc == 0);
	CHECK(parse("[service a]\nexec = @httpd\n[service b]\nexec = @dhcp --iface eth1\n") == 0 &&
	      cfg.nsvc == 2 && cfg.svc[0].builtin && cfg.svc[1].builtin);
	CHECK(config_role_known("httpd", 5) && config_role_known("dhcp", 4));
	CHECK(!config_role_known("http", 4) && !config_role_known("", 0));
}

static void test_bad(void)
{
	/* Each bad line is reported with its number; the rest still counts. */
	CHECK(parse("[service a]\n"
		    "exec = /bin/a\n"
		    "restart = sometimes\n"	/* 3 */
		    "user = -1\n"		/* 4 */
		    "capabilities = fly\n"	/* 5 */
		    "bogus = 1\n"		/* 6 */
		    "no equals sign\n"		/* 7 */
		    "[service b]\n"
		    "user = 5\n"		/* 10: b has no exec, reported at end */
		    "\n") == 6);
	CHECK(nerr == 6);
	CHECK(err_lines[0] == 3 && err_lines[1] == 4 && err_lines[2] == 5 &&
	      err_lines[3] == 6 && err_lines[4] == 7);
	CHECK(cfg.nsvc == 1);
	CHECK(config_find(&cfg, "a") != NULL && config_find(&cfg, "b") == NULL);

	CHECK(parse("exec = /bin/x\n") == 1);		/* outside a section */
	CHECK(parse("[service]\nexec = /x\n") >= 1);	/* no name */
	CHECK(parse("[service a b]\nexec = /x\n") >= 1);	/* bad name */
	CHECK(parse("[service a]\nexec = /x\n[service a]\nexec = /y\n") >= 1);
	CHECK(cfg.nsvc == 1);
	CHECK(parse("[service a]\nexec = relative/path\n") >= 1 && cfg.nsvc == 0);
	CHECK(parse("[service a]\nexec = /x \"unterminated\n") >= 1 && cfg.nsvc == 0);
	CHECK(parse("[service a]\nexec =\n") >= 1 && cfg.nsvc == 0);
	CHECK(parse("[service a\nexec = /x\n") >= 1);
	CHECK(parse("[system]\ngrace = 601\n") == 1 && cfg.grace_ms == CONFIG_DEFAULT_GRACE_MS);
	CHECK(parse("[system]\ngrace = 5s\n") == 1);
	/* The trial update's commit period: 1 to 3600 seconds, default 30. */
	CHECK(parse("[system]\n") == 0 && cfg.update_commit_s == CONFIG_DEFAULT_UPDATE_COMMIT_S);
	CHECK(parse("[system]\nupdate_commit = 5\n") == 0 && cfg.update_commit_s == 5);
	CHECK(parse("[system]\nupdate_commit = 0\n") == 1 && cfg.update_commit_s == 30);
	CHECK(parse("[system]\nupdate_commit = 3601\n") == 1 && cfg.update_commit_s == 30);
	CHECK(parse("[system]\nupdate_commit = 5s\n") == 1 && cfg.update_commit_s == 30);
	CHECK(parse("[service a]\nexec = /x\nenv = NOEQUALS\nenv = =v\n") == 2);
	CHECK(parse("[elsewhere]\n") == 1);
}

static void test_limits(void)
{
	char buf[CONFIG_FILE_MAX + 64];
	size_t n = 0;
	int i;

	/* 17 services: the 17th is refused, 16 remain. */
	for (i = 0; i < 17; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "[service s%d]\nexec = /x\n", i);
	CHECK(parse(buf) == 1);
	CHECK(cfg.nsvc == CONFIG_MAX_SVC);

	/* 33 words in exec: too many. */
	n = (size_t)snprintf(buf, sizeof(buf), "[service a]\nexec = /x");
	for (i = 0; i < 33; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, " w");
	snprintf(buf + n, sizeof(buf) - n, "\n");
	CHECK(parse(buf) >= 1 && cfg.nsvc == 0);

	/* An over-long line. */
	n = (size_t)snprintf(buf, sizeof(buf), "[service a]\nexec = /x ");
	memset(buf + n, 'a', CONFIG_LINE_MAX);
	buf[n + CONFIG_LINE_MAX] = '\0';
	CHECK(parse(buf) >= 1);

	/* A NUL byte inside a line. */
	config_init(&cfg);
	nerr = 0;
	CHECK(config_parse(&cfg, "[service a]\nexec = /x\0y\n", 23, on_err, NULL) >= 1);

	/* A file over the limit is refused whole. */
	memset(buf, '#', CONFIG_FILE_MAX + 1);
	config_init(&cfg);
	CHECK(config_parse(&cfg, buf, CONFIG_FILE_MAX + 1, on_err, NULL) == 1 && cfg.nsvc == 0);
}

static void test_cmdline(void)
{
	const char *cl;
	struct svc_config *s;

	CHECK(parse("[service web]\nexec = /app/web --port 80\n") == 0);
	cl = "console=ttyS0 quiet minilinux.args.web=\"--port 9090 --verbose\" minilinux.grace=2\n";
	nerr = 0;
	CHECK(config_apply_cmdline(&cfg, cl, strlen(cl), on_err, NULL) == 0);
	s = config_find(&cfg, "web");
	CHECK(s && s->argc == 4 && strcmp(s->argv[0], "/app/web") == 0 &&
	      strcmp(s->argv[1], "--port") == 0 && strcmp(s->argv[2], "9090") == 0 &&
	      strcmp(s->argv[3], "--verbose") == 0 && s->argv[4] == NULL);
	CHECK(cfg.grace_ms == 2000);
	cl = "minilinux.update_commit=4";
	CHECK(config_apply_cmdline(&cfg, cl, strlen(cl), on_err, NULL) == 0 && cfg.update_commit_s == 4);
	cl = "minilinux.update_commit=0 minilinux.update_commit=x";
	CHECK(config_apply_cmdline(&cfg, cl, strlen(cl), on_err, NULL) == 2 && cfg.update_commit_s == 4);

	/* Unknown service, bad grace, unterminated quote: reported, nothing changes. */
	cl = "minilinux.args.nope=x minilinux.grace=soon minilinux.args.web=\"--a";
	CHECK(config_apply_cmdline(&cfg, cl, strlen(cl), on_err, NULL) == 3);
	CHECK(s && s->argc == 4 && strcmp(s->argv[2], "9090") == 0 && s->argv[4] == NULL);
	CHECK(cfg.grace_ms == 2000);
	cl = "minilinux.args.web=";
	CHECK(config_apply_cmdline(&cfg, cl, strlen(cl), on_err, NULL) == 0);
	CHECK(s && s->argc == 1 && s->argv[1] == NULL);
}

static void test_time_and_syslog(void)
{
	const char *cl;

	CHECK(parse("[system]\nntp = pool.ntp.org, 192.0.2.1 [2001:db8::1]:123\n"
		    "syslog = 192.0.2.2:514\n") == 0);
	CHECK(strcmp(cfg.ntp, "pool.ntp.org, 192.0.2.1 [2001:db8::1]:123") == 0);
	CHECK(strcmp(cfg.syslog, "192.0.2.2:514") == 0);
	/* the command line overrides the file, as for grace */
	cl = "quiet minilinux.ntp=10.0.2.2:1234,time.example minilinux.syslog=[::1]:514";
	CHECK(config_apply_cmdline(&cfg, cl, strlen(cl), on_err, NULL) == 0);
	CHECK(strcmp(cfg.ntp, "10.0.2.2:1234,time.example") == 0);
	CHECK(strcmp(cfg.syslog, "[::1]:514") == 0);
	/* bad values: refused whole, the old value kept */
	cl = "minilinux.ntp=a;b minilinux.syslog=a,b";
	CHECK(config_apply_cmdline(&cfg, cl, strlen(cl), on_err, NULL) == 2);
	CHECK(strcmp(cfg.ntp, "10.0.2.2:1234,time.example") == 0 && strcmp(cfg.syslog, "[::1]:514") == 0);
	CHECK(parse("[system]\nsyslog = a b:1\nntp = x$y\n") == 2 && cfg.syslog[0] == 0 && cfg.ntp[0] == 0);
	CHECK(parse("[service sntp]\nexec = /bin/true\n") == 1 && cfg.nsvc == 0);
	CHECK(parse("[service t]\nexec = @sntp --servers 192.0.2.1\n") == 0 && cfg.nsvc == 1);
	CHECK(config_role_known("sntp", 4));
}

/* data = DEVICE, minilinux.data=, minilinux.data.reset=. */
static void test_data(void)
{
	const char *cl;

	CHECK(parse("[system]\ndata = /dev/vdb\n[service web]\nexec = /app/web\n") == 0);
	CHECK(strcmp(cfg.data_dev, "vdb") == 0 && !cfg.data_reset);
	CHECK(parse("[system]\ndata = nvme1n1\n") == 0 && strcmp(cfg.data_dev, "nvme1n1") == 0);
	CHECK(parse("[system]\ndata = ../vdb\n") == 1 && cfg.data_dev[0] == '\0');
	CHECK(parse("[system]\ndata = /dev/\n") == 1 && cfg.data_dev[0] == '\0');
	CHECK(parse("[system]\ndata = sd b\n") == 1);
	CHECK(parse("[system]\ndata = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n") == 1);
	cl = "quiet minilinux.data=sdb minilinux.data.reset=yes";
	CHECK(config_apply_cmdline(&cfg, cl, strlen(cl), on_err, NULL) == 0);
	CHECK(strcmp(cfg.data_dev, "sdb") == 0 && cfg.data_reset == 1);
	cl = "minilinux.data=/dev/vdc minilinux.data.reset=maybe minilinux.data=x/y";
	CHECK(config_apply_cmdline(&cfg, cl, strlen(cl), on_err, NULL) == 2);
	CHECK(strcmp(cfg.data_dev, "vdc") == 0 && cfg.data_reset == 1);
}

static void test_ring(void)
{
	static struct log_ring r;
	char out[LOG_RING_SIZE + 16], big[LOG_RING_SIZE * 2];
	size_t n, i;

	memset(&r, 0, sizeof(r));
	log_ring_append(&r, "hello\n", 6);
	n = log_ring_copy(&r, out, sizeof(out));
	CHECK(n == 6 && memcmp(out, "hello\n", 6) == 0);

	/* Wrap around: only the newest LOG_RING_SIZE bytes are kept, in order. */
	for (i = 0; i < sizeof(big); i++)
		big[i] = (char)('a' + i % 26);
	for (i = 0; i < 3; i++)
		log_ring_append(&r, big, 1000);
	log_ring_append(&r, big, sizeof(big));
	n = log_ring_copy(&r, out, sizeof(out));
	CHECK(n == LOG_RING_SIZE);
	CHECK(memcmp(out, big + sizeof(big) - LOG_RING_SIZE, LOG_RING_SIZE) == 0);

	/* A smaller buffer gets the newest bytes. */
	n = log_ring_copy(&r, out, 10);
	CHECK(n == 10 && memcmp(out, big + sizeof(big) - 10, 10) == 0);
}

static void test_signal_names(void)
{
	CHECK(strcmp(signal_name(1), "SIGHUP") == 0);
	CHECK(strcmp(signal_name(9), "SIGKILL") == 0);
	CHECK(strcmp(signal_name(15), "SIGTERM") == 0);
	CHECK(strcmp(signal_name(30), "SIGPWR") == 0);
	CHECK(strcmp(signal_name(31), "SIGSYS") == 0);
	CHECK(strcmp(signal_name(0), "SIG?") == 0);
	CHECK(strcmp(signal_name(64), "SIG?") == 0);
}

int main(void)
{
	test_signal_names();
	test_good();
	test_bad();
	test_limits();
	test_cmdline();
	test_time_and_syslog();
	test_data();
	test_ring();
	test_fnv();
	test_default_uids();
	test_line_atomic();
	test_roles();
	return check_done("config");
}
