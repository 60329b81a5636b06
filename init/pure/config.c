/* config.c - the services file.
 *
 *   [system]
 *   grace = 5                 # seconds from SIGTERM to SIGKILL at shutdown
 *   on-fatal = poweroff       # or reboot
 *   ntp = pool.ntp.org, 192.0.2.1   # NTP servers (default: DHCP's option 42)
 *   syslog = 192.0.2.2:514    # send every console line there (RFC 5424/UDP)
 *   data = vdb                # the data partition's disk (default: the boot disk)
 *   update_commit = 30        # seconds a trial update must stay healthy (docs/update.md)
 *
 *   [service NAME]
 *   exec = /app/server --port 8080 "an argument"   (or @httpd: a built-in role)
 *   env = KEY=VALUE           (repeatable)
 *   user = 1000               (number, root or nobody; default: below)
 *   group = 1000              (default: the user's number)
 *   restart = always | on-failure | never
 *   network = wait | no       (wait: start after the first lease)
 *   capabilities = net_bind_service, ...
 *
 * Lines whose first non-blank character is '#' are comments. A bad line is
 * reported and skipped, whole: a line is parsed into temporaries and only
 * then applied, so a service keeps what its earlier lines gave it. The
 * rest of the file still counts.
 *
 * Default user: every service gets a uid of its own, so that two services
 * cannot ptrace or signal each other. uid = gid = 20000 + (FNV-1a 32-bit
 * hash of the service name) % 10000; when an earlier service of the same
 * file already has that uid (by default or by `user =`), the next one,
 * wrapping within 20000-29999. The name "dhcp" is reserved: PID 1 adds
 * that service itself (the DHCP client, uid = gid = 100). `user =` and
 * `group =` override the default.
 *
 * exec = @ROLE names a role of /init; only the roles that run as services
 * (config_roles below) are accepted, so that a typo is an error here, at
 * the image build, and not a service that restarts forever at boot. */
#include "pure/config.h"

#include <string.h>

static const char *const config_cap_names[] = {
	"chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill",
	"setgid", "setuid", "setpcap", "linux_immutable", "net_bind_service",
	"net_broadcast", "net_admin", "net_raw", "ipc_lock", "ipc_owner",
	"sys_module", "sys_rawio", "sys_chroot", "sys_ptrace", "sys_pacct",
	"sys_admin", "sys_boot", "sys_nice", "sys_resource", "sys_time",
	"sys_tty_config", "mknod", "lease", "audit_write", "audit_control",
	"setfcap", "mac_override", "mac_admin", "syslog", "wake_alarm",
	"block_suspend", "audit_read", "perfmon", "bpf", "checkpoint_restore",
};
#define CONFIG_NCAPS (int)(sizeof(config_cap_names) / sizeof(config_cap_names[0]))

/* The roles of init/main.c's table that make sense as services (not pid1
 * or check-config). This is the one list: check-config and PID 1 both
 * parse with it. */
static const char *const config_roles[] = { "httpd", "dhcp", "sntp", "admin" };
#define CONFIG_NROLES (int)(sizeof(config_roles) / sizeof(config_roles[0]))

static int lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

static int is_blank(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

/* Case-insensitive compare of S[0..LEN) with the NUL-terminated WORD. */
static int word_eq(const char *s, size_t len, const char *word)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!word[i] || lower((unsigned char)s[i]) != word[i])
			return 0;
	return word[len] == '\0';
}

int config_cap_number(const char *name, size_t len)
{
	int i;

	if (len > 4 && word_eq(name, 4, "cap_")) {
		name += 4;
		len -= 4;
	}
	for (i = 0; i < CONFIG_NCAPS; i++)
		if (word_eq(name, len, config_cap_names[i]))
			return i;
	return -1;
}

int config_role_known(const char *role, size_t len)
{
	int i;

	for (i = 0; i < CONFIG_NROLES; i++)
		if (strlen(config_roles[i]) == len && memcmp(role, config_roles[i], len) == 0)
			return 1;
	return 0;
}

/* FNV-1a (Fowler, Noll, Vo; draft-eastlake-fnv): offset basis 2166136261,
 * prime 16777619. */
uint32_t config_fnv1a(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

uid_t config_default_uid(const struct config *c, int nbefore, const char *name)
{
	uint32_t h = config_fnv1a(name, strlen(name)) % CONFIG_UID_COUNT, k;
	uid_t uid;
	int i;

	for (k = 0; k < CONFIG_UID_COUNT; k++) {
		uid = (uid_t)(CONFIG_UID_BASE + (h + k) % CONFIG_UID_COUNT);
		for (i = 0; i < nbefore; i++)
			if (c->svc[i].uid == uid)
				break;
		if (i == nbefore)
			return uid;
	}
	return (uid_t)(CONFIG_UID_BASE + h);	/* all taken: cannot happen, 16 services */
}

void config_init(struct config *c)
{
	memset(c, 0, sizeof(*c));
	c->grace_ms = CONFIG_DEFAULT_GRACE_MS;
	c->update_commit_s = CONFIG_DEFAULT_UPDATE_COMMIT_S;
}

/* Parse a decimal number in [0, MAX]; -1 if not one. */
static long parse_num(const char *s, size_t len, long max)
{
	long v = 0;
	size_t i;

	if (len == 0 || len > 10)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= max ? v : -1;
}

static char *pool_alloc(struct config *c, size_t n)
{
	char *p;

	if (n > sizeof(c->pool) - c->pool_used)
		return NULL;
	p = c->pool + c->pool_used;
	c->pool_used += n;
	return p;
}

static const char *pool_strndup(struct config *c, const char *s, size_t len)
{
	char *p = pool_alloc(c, len + 1);

	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

int config_split_words(struct config *c, const char *s, size_t len,
		       const char **words, int max)
{
	size_t i = 0, start_used;
	int n = 0;
	char q, *w;

	for (;;) {
		while (i < len && is_blank(s[i]))
			i++;
		if (i == len)
			break;
		if (n == max)
			return -1;
		/* A word is at most as long as the rest of the input. */
		start_used = c->pool_used;
		w = pool_alloc(c, len - i + 1);
		if (!w)
			return -1;
		words[n] = w;
		while (i < len && !is_blank(s[i])) {
			if (s[i] == '"' || s[i] == '\'') {
				q = s[i++];
				while (i < len && s[i] != q) {
					if (q == '"' && s[i] == '\\' && i + 1 < len &&
					    (s[i + 1] == '"' || s[i + 1] == '\\'))
						i++;
					*w++ = s[i++];
				}
				if (i == len)
					return -1;	/* unterminated quote */
				i++;
			} else {
				*w++ = s[i++];
			}
		}
		*w++ = '\0';
		c->pool_used = start_used + (size_t)(w - words[n]);
		n++;
	}
	words[n] = NULL;
	return n;
}

struct svc_config *config_find(struct config *c, const char *name)
{
	int i;

	for (i = 0; i < c->nsvc; i++)
		if (strcmp(c->svc[i].name, name) == 0)
			return &c->svc[i];
	return NULL;
}

static int valid_name(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len >= CONFIG_NAME_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
			return 0;
	}
	return 1;
}

/* user/group: a number, "root" or "nobody". */
static long parse_id(const char *v, size_t len)
{
	if (word_eq(v, len, "root"))
		return 0;
	if (word_eq(v, len, "nobody") || word_eq(v, len, "nogroup"))
		return CONFIG_NOBODY_UID;
	return parse_num(v, len, 65535);
}

/* A disk name for data =: "vdb", "sdb", "nvme1n1" or "/dev/vdb". */
static int parse_device(char out[CONFIG_DEVICE_MAX], const char *v, size_t len)
{
	size_t i, start = 0;

	if (len > 5 && memcmp(v, "/dev/", 5) == 0)
		start = 5;
	if (len == start || len - start >= CONFIG_DEVICE_MAX)
		return -1;
	for (i = start; i < len; i++)
		if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= '0' && v[i] <= '9')))
			return -1;
	memcpy(out, v + start, len - start);
	out[len - start] = '\0';
	return 0;
}

static int parse_caps(const char *v, size_t len, uint64_t *caps)
{
	size_t i = 0, start;
	int n;

	*caps = 0;
	while (i < len) {
		while (i < len && (is_blank(v[i]) || v[i] == ','))
			i++;
		start = i;
		while (i < len && !is_blank(v[i]) && v[i] != ',')
			i++;
		if (i == start)
			break;
		n = config_cap_number(v + start, i - start);
		if (n < 0)
			return -1;
		*caps |= (uint64_t)1 << n;
	}
	return 0;
}

struct parse_state {
	struct config *c;
	struct svc_config *svc;	/* current [service] section, or NULL */
	int in_system;
	int skip;		/* inside a section that was refused */
	int user_set, group_set;
	int line;
	int errors;
	config_err_fn err;
	void *arg;
};

static void report(struct parse_state *ps, const char *msg)
{
	ps->errors++;
	if (ps->err)
		ps->err(ps->arg, ps->line, msg);
}

static void finish_service(struct parse_state *ps)
{
	struct svc_config *s = ps->svc;

	if (!s)
		return;
	/* Only now is it known whether `user =` came, and which uids the
	 * services before this one have. */
	if (!ps->user_set)
		s->uid = config_default_uid(ps->c, ps->c->nsvc - 1, s->name);
	if (!ps->group_set)
		s->gid = (gid_t)s->uid;
	if (!s->valid) {
		report(ps, "service has no valid exec line; it is left out");
		ps->c->nsvc--;
	}
	ps->svc = NULL;
}

static void parse_section(struct parse_state *ps, const char *s, size_t len)
{
	struct config *c = ps->c;
	struct svc_config *svc;

	finish_service(ps);
	ps->in_system = 0;
	/* Until a good header, keys belong to the refused section: skip them
	 * rather than report each one again. */
	ps->skip = 1;
	if (word_eq(s, len, "system")) {
		ps->skip = 0;
		ps->in_system = 1;
		return;
	}
	if (len < 8 || !word_eq(s, 8, "service ")) {
		report(ps, "unknown section: use [system] or [service NAME]");
		return;
	}
	s += 8;
	len -= 8;
	while (len && is_blank(*s)) {
		s++;
		len--;
	}
	if (!valid_name(s, len)) {
		report(ps, "service name must be 1-31 letters, digits, '-' or '_'");
		return;
	}
	if (word_eq(s, len, CONFIG_DHCP_NAME)) {
		report(ps, "service name dhcp is reserved: PID 1 runs the DHCP client itself");
		return;
	}
	if (word_eq(s, len, CONFIG_SNTP_NAME)) {
		report(ps, "service name sntp is reserved: PID 1 runs the SNTP client itself");
		return;
	}
	if (word_eq(s, len, "admin")) {
		report(ps, "service name admin is reserved: PID 1 runs the admin API itself");
		return;
	}
	if (c->nsvc == CONFIG_MAX_SVC) {
		report(ps, "too many services (CONFIG_MAX_SVC is 16)");
		return;
	}
	svc = &c->svc[c->nsvc];
	memset(svc, 0, sizeof(*svc));
	memcpy(svc->name, s, len);
	if (config_find(c, svc->name)) {
		report(ps, "duplicate service name");
		return;
	}
	c->nsvc++;
	svc->restart = CONFIG_RESTART_ALWAYS;
	ps->svc = svc;
	ps->skip = 0;
	ps->user_set = 0;
	ps->group_set = 0;
}

static void parse_exec(struct parse_state *ps, struct svc_config *s,
		       const char *v, size_t len)
{
	const char *argv[CONFIG_MAX_ARGS + 1];
	size_t used = ps->c->pool_used;
	int n;

	/* Into a temporary argv: a bad line (a second exec line too) leaves
	 * the service's argv, argc and validity as they were. */
	n = config_split_words(ps->c, v, len, argv, CONFIG_MAX_ARGS);
	if (n <= 0) {
		report(ps, n == 0 ? "exec is empty" :
		       "exec: unterminated quote, more than 32 words, or out of room");
		goto undo;
	}
	if (argv[0][0] == '@') {
		if (!config_role_known(argv[0] + 1, strlen(argv[0] + 1))) {
			report(ps, "exec: unknown role (the built-in roles are @httpd and @dhcp)");
			goto undo;
		}
	} else if (argv[0][0] != '/') {
		report(ps, "exec must start with an absolute path or @role");
		goto undo;
	}
	memcpy(s->argv, argv, sizeof(argv[0]) * (size_t)(n + 1));
	s->argc = n;
	s->builtin = argv[0][0] == '@';
	s->valid = 1;
	return;
undo:
	ps->c->pool_used = used;
}

static void parse_service_key(struct parse_state *ps, const char *k, size_t klen,
			      const char *v, size_t vlen)
{
	struct svc_config *s = ps->svc;
	long id;

	if (word_eq(k, klen, "exec")) {
		parse_exec(ps, s, v, vlen);
	} else if (word_eq(k, klen, "env")) {
		const char *eq = memchr(v, '=', vlen);

		if (!eq || eq == v)
			report(ps, "env must be KEY=VALUE");
		else if (s->envc == CONFIG_MAX_ENV)
			report(ps, "too many env lines (CONFIG_MAX_ENV is 32)");
		else if (!(s->env[s->envc] = pool_strndup(ps->c, v, vlen)))
			report(ps, "configuration too large (CONFIG_POOL_MAX)");
		else
			s->env[++s->envc] = NULL;
	} else if (word_eq(k, klen, "user")) {
		if ((id = parse_id(v, vlen)) < 0) {
			report(ps, "user must be a number (0-65535), root or nobody");
		} else {
			s->uid = (uid_t)id;
			ps->user_set = 1;
		}
	} else if (word_eq(k, klen, "group")) {
		if ((id = parse_id(v, vlen)) < 0) {
			report(ps, "group must be a number (0-65535), root or nogroup");
		} else {
			s->gid = (gid_t)id;
			ps->group_set = 1;
		}
	} else if (word_eq(k, klen, "restart")) {
		if (word_eq(v, vlen, "always"))
			s->restart = CONFIG_RESTART_ALWAYS;
		else if (word_eq(v, vlen, "on-failure"))
			s->restart = CONFIG_RESTART_ON_FAILURE;
		else if (word_eq(v, vlen, "never"))
			s->restart = CONFIG_RESTART_NEVER;
		else
			report(ps, "restart must be always, on-failure or never");
	} else if (word_eq(k, klen, "network")) {
		if (word_eq(v, vlen, "wait"))
			s->wait_network = 1;
		else if (word_eq(v, vlen, "no"))
			s->wait_network = 0;
		else
			report(ps, "network must be wait or no");
	} else if (word_eq(k, klen, "capabilities")) {
		if (parse_caps(v, vlen, &s->caps) < 0)
			report(ps, "unknown capability (names as in capabilities(7), e.g. net_bind_service)");
	} else {
		report(ps, "unknown key (exec, env, user, group, restart, network, capabilities)");
	}
}

/* A list of host names or addresses (with :port, [v6]:port), separated by
 * commas or blanks: only the bytes those can hold. 0, or -1 (DST as it was). */
static int set_hosts(char *dst, size_t max, const char *v, size_t vlen, int one)
{
	size_t i;

	if (vlen >= max)
		return -1;
	for (i = 0; i < vlen; i++) {
		char ch = v[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == ':' ||
		      ch == '[' || ch == ']' || ch == '_' ||
		      (!one && (ch == ',' || ch == ' ' || ch == '\t'))))
			return -1;
	}
	memcpy(dst, v, vlen);
	dst[vlen] = '\0';
	return 0;
}

static void parse_system_key(struct parse_state *ps, const char *k, size_t klen,
			     const char *v, size_t vlen)
{
	long n;

	if (word_eq(k, klen, "grace")) {
		if ((n = parse_num(v, vlen, 600)) < 0)
			report(ps, "grace must be a number of seconds, 0 to 600");
		else
			ps->c->grace_ms = (int)n * 1000;
	} else if (word_eq(k, klen, "on-fatal")) {
		if (word_eq(v, vlen, "reboot"))
			ps->c->fatal_reboot = 1;
		else if (word_eq(v, vlen, "poweroff"))
			ps->c->fatal_reboot = 0;
		else
			report(ps, "on-fatal must be poweroff or reboot");
	} else if (word_eq(k, klen, "ntp")) {
		if (set_hosts(ps->c->ntp, sizeof(ps->c->ntp), v, vlen, 0) < 0)
			report(ps, "ntp must be host names or addresses, separated by commas");
	} else if (word_eq(k, klen, "syslog")) {
		if (set_hosts(ps->c->syslog, sizeof(ps->c->syslog), v, vlen, 1) < 0)
			report(ps, "syslog must be HOST:PORT");
	} else if (word_eq(k, klen, "data")) {
		if (parse_device(ps->c->data_dev, v, vlen) < 0)
			report(ps, "data must be a disk name such as vdb or /dev/sdb");
	} else if (word_eq(k, klen, "update_commit")) {
		if ((n = parse_num(v, vlen, CONFIG_UPDATE_COMMIT_MAX_S)) < 1)
			report(ps, "update_commit must be a number of seconds, 1 to 3600");
		else
			ps->c->update_commit_s = (int)n;
	} else {
		report(ps, "unknown key in [system] (grace, on-fatal, ntp, syslog, data, update_commit)");
	}
}

static void parse_line(struct parse_state *ps, const char *s, size_t len)
{
	const char *eq, *k, *v;
	size_t klen, vlen;

	while (len && is_blank(*s)) {
		s++;
		len--;
	}
	while (len && is_blank(s[len - 1]))
		len--;
	if (len == 0 || s[0] == '#')
		return;
	if (s[0] == '[') {
		if (s[len - 1] != ']')
			report(ps, "section header must end with ']'");
		else
			parse_section(ps, s + 1, len - 2);
		return;
	}
	eq = memchr(s, '=', len);
	if (!eq) {
		report(ps, "expected KEY = VALUE");
		return;
	}
	k = s;
	klen = (size_t)(eq - s);
	while (klen && is_blank(k[klen - 1]))
		klen--;
	v = eq + 1;
	vlen = len - (size_t)(v - s);
	while (vlen && is_blank(*v)) {
		v++;
		vlen--;
	}
	if (ps->skip)
		return;
	if (ps->svc)
		parse_service_key(ps, k, klen, v, vlen);
	else if (ps->in_system)
		parse_system_key(ps, k, klen, v, vlen);
	else
		report(ps, "key outside a section: start with [service NAME] or [system]");
}

int config_parse(struct config *c, const char *buf, size_t len,
		 config_err_fn err, void *arg)
{
	struct parse_state ps = { .c = c, .err = err, .arg = arg };
	const char *nl;
	size_t n;

	if (len > CONFIG_FILE_MAX) {
		ps.line = 0;
		report(&ps, "file too large (CONFIG_FILE_MAX is 16 KiB)");
		return ps.errors;
	}
	while (len) {
		ps.line++;
		nl = memchr(buf, '\n', len);
		n = nl ? (size_t)(nl - buf) : len;
		if (n > CONFIG_LINE_MAX)
			report(&ps, "line too long (CONFIG_LINE_MAX is 1024)");
		else if (memchr(buf, '\0', n))
			report(&ps, "NUL byte in line");
		else
			parse_line(&ps, buf, n);
		if (!nl)
			break;
		buf += n + 1;
		len -= n + 1;
	}
	finish_service(&ps);
	return ps.errors;
}

/* One command-line word: minilinux.args.NAME=VALUE, minilinux.grace=N,
 * minilinux.ntp=HOSTS, minilinux.syslog=HOST:PORT. */
static void apply_param(struct parse_state *ps, const char *w, size_t len)
{
	static const char args[] = "minilinux.args.", grace[] = "minilinux.grace=";
	static const char ntp[] = "minilinux.ntp=", syslog[] = "minilinux.syslog=";
	static const char data[] = "minilinux.data=", reset[] = "minilinux.data.reset=";
	static const char commit[] = "minilinux.update_commit=";
	const char *argv[CONFIG_MAX_ARGS + 1];
	const char *eq, *val;
	char name[CONFIG_NAME_MAX];
	size_t used;
	struct svc_config *s;
	size_t nlen, vlen;
	long n;
	int cnt;

	if (len > sizeof(grace) - 1 && memcmp(w, grace, sizeof(grace) - 1) == 0) {
		n = parse_num(w + sizeof(grace) - 1, len - (sizeof(grace) - 1), 600);
		if (n < 0)
			report(ps, "minilinux.grace must be seconds, 0 to 600");
		else
			ps->c->grace_ms = (int)n * 1000;
		return;
	}
	if (len >= sizeof(ntp) - 1 && memcmp(w, ntp, sizeof(ntp) - 1) == 0) {
		if (set_hosts(ps->c->ntp, sizeof(ps->c->ntp), w + sizeof(ntp) - 1,
			      len - (sizeof(ntp) - 1), 0) < 0)
			report(ps, "minilinux.ntp must be host names or addresses, separated by commas");
		return;
	}
	if (len >= sizeof(syslog) - 1 && memcmp(w, syslog, sizeof(syslog) - 1) == 0) {
		if (set_hosts(ps->c->syslog, sizeof(ps->c->syslog), w + sizeof(syslog) - 1,
			      len - (sizeof(syslog) - 1), 1) < 0)
			report(ps, "minilinux.syslog must be HOST:PORT");
		return;
	}
	if (len >= sizeof(data) - 1 && memcmp(w, data, sizeof(data) - 1) == 0) {
		if (parse_device(ps->c->data_dev, w + sizeof(data) - 1, len - (sizeof(data) - 1)) < 0)
			report(ps, "minilinux.data must be a disk name such as vdb or /dev/sdb");
		return;
	}
	if (len >= sizeof(commit) - 1 && memcmp(w, commit, sizeof(commit) - 1) == 0) {
		n = parse_num(w + sizeof(commit) - 1, len - (sizeof(commit) - 1), CONFIG_UPDATE_COMMIT_MAX_S);
		if (n < 1)
			report(ps, "minilinux.update_commit must be seconds, 1 to 3600");
		else
			ps->c->update_commit_s = (int)n;
		return;
	}
	if (len >= sizeof(reset) - 1 && memcmp(w, reset, sizeof(reset) - 1) == 0) {
		if (word_eq(w + sizeof(reset) - 1, len - (sizeof(reset) - 1), "yes"))
			ps->c->data_reset = 1;
		else if (word_eq(w + sizeof(reset) - 1, len - (sizeof(reset) - 1), "no"))
			ps->c->data_reset = 0;
		else
			report(ps, "minilinux.data.reset must be yes or no");
		return;
	}
	if (len <= sizeof(args) - 1 || memcmp(w, args, sizeof(args) - 1) != 0)
		return;
	w += sizeof(args) - 1;
	len -= sizeof(args) - 1;
	eq = memchr(w, '=', len);
	nlen = eq ? (size_t)(eq - w) : len;
	if (!eq || !valid_name(w, nlen)) {
		report(ps, "minilinux.args.NAME=\"ARGS\": bad service name");
		return;
	}
	memcpy(name, w, nlen);
	name[nlen] = '\0';
	s = config_find(ps->c, name);
	if (!s) {
		report(ps, "minilinux.args: no such service");
		return;
	}
	val = eq + 1;
	vlen = len - nlen - 1;
	/* The kernel's own quoting: NAME="a b" means the value a b. */
	if (vlen >= 2 && val[0] == '"' && val[vlen - 1] == '"') {
		val++;
		vlen -= 2;
	}
	/* Keep argv[0]; the rest is replaced, whole or not at all. */
	used = ps->c->pool_used;
	argv[0] = s->argv[0];
	cnt = config_split_words(ps->c, val, vlen, argv + 1, CONFIG_MAX_ARGS - 1);
	if (cnt < 0) {
		report(ps, "minilinux.args: unterminated quote or too many words");
		ps->c->pool_used = used;	/* keep the old arguments */
		return;
	}
	memcpy(s->argv, argv, sizeof(argv[0]) * (size_t)(cnt + 2));
	s->argc = cnt + 1;
}

int config_apply_cmdline(struct config *c, const char *cmdline, size_t len,
			 config_err_fn err, void *arg)
{
	struct parse_state ps = { .c = c, .err = err, .arg = arg };
	size_t i = 0, start;
	int inq;

	while (i < len) {
		while (i < len && (is_blank(cmdline[i]) || cmdline[i] == '\n'))
			i++;
		start = i;
		inq = 0;
		while (i < len && (inq || !(is_blank(cmdline[i]) || cmdline[i] == '\n'))) {
			if (cmdline[i] == '"')
				inq = !inq;
			i++;
		}
		if (i > start)
			apply_param(&ps, cmdline + start, i - start);
	}
	return ps.errors;
}
