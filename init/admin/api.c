/* api.c - what the admin API serves: the status page, /api/status and
 * /metrics, from PID 1's answers (the services) and from /proc, /sys and
 * the roles' status files (the machine). Everything is read into fixed
 * buffers at each request; nothing is cached, nothing allocated. */
#include "admin/admin.h"
#include "lib/fio.h"

#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define API_MAX_SVC     16	/* CONFIG_MAX_SVC */
#define API_MAX_IFACES  8
#define API_MAX_ADDRS   4	/* per interface */
#define API_FILE_MAX    2048	/* a status file, /proc/net/dev */
#define API_KV_MAX      16	/* key=value lines of a status file */
#define API_KV_VALUE_MAX 256	/* bytes of a value (SLOTS_FAILURE_MAX); longer: cut */
#define API_LOG_LINES   10	/* per service on the page */

struct api_svc {
	char name[32];
	char state[12];
	long pid;
	unsigned long restarts;
	long long uptime_ms;
	char last_exit[80];
};

struct api_iface {
	char name[IF_NAMESIZE];
	unsigned long long rx, tx;
	char addr[API_MAX_ADDRS][INET6_ADDRSTRLEN + 4];
	int naddr;
};

struct api_kv {
	char key[32];
	char value[API_KV_VALUE_MAX + 1];
};

static struct {
	char version[72];
	int have_control;
	char control_error[80];
	struct api_svc svc[API_MAX_SVC];
	int nsvc;
	char hostname[65];
	unsigned long long uptime_cs;	/* hundredths of a second */
	unsigned long long load[3];	/* hundredths */
	unsigned long long mem_total, mem_avail;
	struct api_iface ifc[API_MAX_IFACES];
	int nifc;
	int have_data;
	unsigned long long data_size, data_used;
	int have_lease;
	char lease_addr[INET_ADDRSTRLEN + 4];
	long long lease_left_s;
	struct api_kv update[API_KV_MAX];
	int nupdate;	/* -1: no status file */
	int have_httpd;
	unsigned long long httpd_requests;
} st;

static char ctl[API_LOG_MAX];

static ssize_t api_read(const char *path, char *buf, size_t len)
{
	return fio_read_small(AT_FDCWD, path, 0, buf, len);
}

/* The next word of *P (up to a blank or the end), its length in *LEN;
 * NULL at the end. */
static const char *api_word(const char **p, size_t *len)
{
	const char *s = *p, *w;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return NULL;
	for (w = s; *s && *s != ' ' && *s != '\t'; s++)
		;
	*len = (size_t)(s - w);
	*p = s;
	return w;
}

/* A decimal or hex number of N characters; -1 (all ones) if not one. */
static unsigned long long api_num(const char *w, size_t n, int base)
{
	unsigned long long v = 0;
	size_t i;

	if (!w || !n)
		return ~0ULL;
	for (i = 0; i < n; i++) {
		int d = w[i] >= '0' && w[i] <= '9' ? w[i] - '0' :
			base == 16 && w[i] >= 'a' && w[i] <= 'f' ? w[i] - 'a' + 10 : -1;

		if (d < 0)
			return ~0ULL;
		v = v * (unsigned)base + (unsigned)d;
	}
	return v;
}

/* "12.34" as hundredths (1234); the fraction's digits after two are
 * dropped. */
static unsigned long long api_centi(const char *w, size_t n)
{
	size_t i;
	unsigned long long v;

	for (i = 0; i < n && w[i] != '.'; i++)
		;
	v = api_num(w, i, 10) * 100;
	if (i + 1 < n)
		v += (unsigned long long)(w[i + 1] - '0') * 10;
	if (i + 2 < n)
		v += (unsigned long long)(w[i + 2] - '0');
	return v;
}

/* key=value lines into KV (at most MAX); returns the count, -1 if the
 * file cannot be read. Lines without '=' or with a key too long are
 * skipped; a value longer than API_KV_VALUE_MAX is cut there. */
static int api_read_kv(const char *path, struct api_kv *kv, int max)
{
	static char buf[API_FILE_MAX];
	char *line, *next, *eq;
	int n = 0;

	if (api_read(path, buf, sizeof(buf)) < 0)
		return -1;
	for (line = buf; line && *line && n < max; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		eq = strchr(line, '=');
		if (!eq || eq == line || (size_t)(eq - line) >= sizeof(kv->key))
			continue;
		memcpy(kv[n].key, line, (size_t)(eq - line));
		kv[n].key[eq - line] = '\0';
		snprintf(kv[n].value, sizeof(kv[n].value), "%.*s", API_KV_VALUE_MAX, eq + 1);
		n++;
	}
	return n;
}

static void api_services(void)
{
	char *line, *next;
	ssize_t n;

	st.nsvc = 0;
	st.have_control = 0;
	n = admin_control("status", ctl, sizeof(ctl));
	if (n < 0) {
		snprintf(st.control_error, sizeof(st.control_error), "%.79s", ctl);
		return;
	}
	st.have_control = 1;
	for (line = ctl; line && *line; line = next) {
		struct api_svc *s = &st.svc[st.nsvc];

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (strncmp(line, "version ", 8) == 0) {
			snprintf(st.version, sizeof(st.version), "%s", line + 8);
			continue;
		}
		const char *p = line, *w[6];
		size_t l[6];
		int k;

		for (k = 0; k < 6 && (w[k] = api_word(&p, &l[k])); k++)
			;
		if (st.nsvc == API_MAX_SVC || k < 6 || !(l[0] == 3 && memcmp(w[0], "svc", 3) == 0) ||
		    l[1] >= sizeof(s->name) || l[2] >= sizeof(s->state))
			continue;
		memcpy(s->name, w[1], l[1]);
		s->name[l[1]] = '\0';
		memcpy(s->state, w[2], l[2]);
		s->state[l[2]] = '\0';
		s->pid = (long)api_num(w[3], l[3], 10);
		s->restarts = (unsigned long)api_num(w[4], l[4], 10);
		s->uptime_ms = (long long)api_num(w[5], l[5], 10);
		while (*p == ' ')
			p++;
		snprintf(s->last_exit, sizeof(s->last_exit), "%.79s", p);
		st.nsvc++;
	}
}

static unsigned long long api_meminfo(const char *buf, const char *key)
{
	const char *p = strstr(buf, key);

	return p ? strtoull(p + strlen(key), NULL, 10) * 1024 : 0;
}

static struct api_iface *api_iface(const char *name)
{
	int i;

	for (i = 0; i < st.nifc; i++)
		if (strcmp(st.ifc[i].name, name) == 0)
			return &st.ifc[i];
	if (st.nifc == API_MAX_IFACES || strlen(name) >= IF_NAMESIZE)
		return NULL;
	memset(&st.ifc[st.nifc], 0, sizeof(st.ifc[0]));
	strcpy(st.ifc[st.nifc].name, name);
	return &st.ifc[st.nifc++];
}

/* Interfaces and their byte counters (/proc/net/dev), IPv4 addresses
 * (SIOCGIFADDR, the one the DHCP client sets), IPv6 ones
 * (/proc/net/if_inet6). */
static void api_network(void)
{
	static char buf[API_FILE_MAX * 2];
	char *line, *next, *colon;
	struct api_iface *f;
	int s, i;

	st.nifc = 0;
	if (api_read("/proc/net/dev", buf, sizeof(buf)) > 0) {
		for (line = buf; line && *line; line = next) {
			unsigned long long v[9];
			const char *p, *w;
			size_t l;
			int k;

			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			colon = strchr(line, ':');
			if (!colon)
				continue;
			*colon = '\0';
			p = line;
			if (!(w = api_word(&p, &l)) || l >= IF_NAMESIZE || (l == 2 && memcmp(w, "lo", 2) == 0))
				continue;
			((char *)w)[l] = '\0';
			for (p = colon + 1, k = 0; k < 9; k++) {
				const char *x = api_word(&p, &l);

				if ((v[k] = api_num(x, x ? l : 0, 10)) == ~0ULL)
					break;
			}
			if (k == 9 && (f = api_iface(w))) {
				f->rx = v[0];
				f->tx = v[8];
			}
		}
	}
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	for (i = 0; s >= 0 && i < st.nifc; i++) {
		struct ifreq ifr;
		struct in_addr a, m;

		memset(&ifr, 0, sizeof(ifr));
		strcpy(ifr.ifr_name, st.ifc[i].name);
		if (ioctl(s, SIOCGIFADDR, &ifr) < 0)
			continue;
		a = ((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr;
		if (ioctl(s, SIOCGIFNETMASK, &ifr) < 0)
			continue;
		m = ((struct sockaddr_in *)&ifr.ifr_netmask)->sin_addr;
		inet_ntop(AF_INET, &a, st.ifc[i].addr[0], INET_ADDRSTRLEN);
		snprintf(st.ifc[i].addr[0] + strlen(st.ifc[i].addr[0]), 4, "/%d",
			 __builtin_popcount(m.s_addr));
		st.ifc[i].naddr = 1;
	}
	if (s >= 0)
		close(s);
	if (api_read("/proc/net/if_inet6", buf, sizeof(buf)) > 0) {
		for (line = buf; line && *line; line = next) {
			/* "HEX32 IFINDEX PLEN SCOPE FLAGS NAME", hex numbers */
			const char *p = line, *w[6];
			unsigned char a[16];
			size_t l[6];
			int k;

			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			for (k = 0; k < 6 && (w[k] = api_word(&p, &l[k])); k++)
				;
			if (k < 6 || l[0] != 32 || (l[5] == 2 && memcmp(w[5], "lo", 2) == 0))
				continue;
			((char *)w[5])[l[5]] = '\0';
			if (!(f = api_iface(w[5])) || f->naddr == API_MAX_ADDRS)
				continue;
			for (k = 0; k < 16; k++)
				a[k] = (unsigned char)api_num(w[0] + 2 * k, 2, 16);
			inet_ntop(AF_INET6, a, f->addr[f->naddr], INET6_ADDRSTRLEN);
			snprintf(f->addr[f->naddr] + strlen(f->addr[f->naddr]), 5, "/%u",
				 (unsigned)api_num(w[2], l[2], 16) & 0xff);
			f->naddr++;
		}
	}
}

static void api_gather(void)
{
	static char buf[API_FILE_MAX];
	struct utsname u;
	struct statvfs sv;
	struct stat sd, sr;
	struct api_kv kv[API_KV_MAX];
	int i, n;

	snprintf(st.version, sizeof(st.version), "unknown");
	api_services();
	if (uname(&u) == 0)
		snprintf(st.hostname, sizeof(st.hostname), "%s", u.nodename);
	st.uptime_cs = 0;
	if (api_read("/proc/uptime", buf, sizeof(buf)) > 0) {
		const char *p = buf, *w;
		size_t l;

		if ((w = api_word(&p, &l)))
			st.uptime_cs = api_centi(w, l);
	}
	st.load[0] = st.load[1] = st.load[2] = 0;
	if (api_read("/proc/loadavg", buf, sizeof(buf)) > 0) {
		const char *p = buf, *w;
		size_t l;

		for (i = 0; i < 3 && (w = api_word(&p, &l)); i++)
			st.load[i] = api_centi(w, l);
	}
	st.mem_total = st.mem_avail = 0;
	if (api_read("/proc/meminfo", buf, sizeof(buf)) > 0) {
		st.mem_total = api_meminfo(buf, "MemTotal:");
		st.mem_avail = api_meminfo(buf, "MemAvailable:");
	}
	api_network();
	/* The data partition: only if it is a file system of its own. */
	st.have_data = statvfs(admin_data_dir, &sv) == 0 && stat(admin_data_dir, &sd) == 0 &&
		       stat("/", &sr) == 0 && sd.st_dev != sr.st_dev;
	if (st.have_data) {
		st.data_size = (unsigned long long)sv.f_blocks * sv.f_frsize;
		st.data_used = (unsigned long long)(sv.f_blocks - sv.f_bfree) * sv.f_frsize;
	}
	/* The DHCP client's lease (docs/admin.md): address, expiry. */
	st.have_lease = 0;
	n = api_read_kv("/run/net/lease", kv, API_KV_MAX);
	for (i = 0; i < n; i++) {
		if (strcmp(kv[i].key, "address") == 0) {
			snprintf(st.lease_addr, sizeof(st.lease_addr), "%s", kv[i].value);
			st.have_lease |= 1;
		} else if (strcmp(kv[i].key, "expires_boottime_s") == 0) {
			struct timespec ts;

			clock_gettime(CLOCK_BOOTTIME, &ts);
			st.lease_left_s = strtoll(kv[i].value, NULL, 10) - (long long)ts.tv_sec;
			if (st.lease_left_s < 0)
				st.lease_left_s = 0;
			st.have_lease |= 2;
		}
	}
	st.have_lease = st.have_lease == 3;
	st.nupdate = api_read_kv(admin_update_status, st.update, API_KV_MAX);
	st.have_httpd = 0;
	n = api_read_kv(admin_httpd_status, kv, API_KV_MAX);
	for (i = 0; i < n; i++)
		if (strcmp(kv[i].key, "requests") == 0) {
			st.httpd_requests = strtoull(kv[i].value, NULL, 10);
			st.have_httpd = 1;
		}
}

static void api_json_str(struct out *o, const char *s)
{
	out_json(o, s, strlen(s));
}

void api_status(struct out *o)
{
	int i, k;

	api_gather();
	out_str(o, "{\"version\":");
	api_json_str(o, st.version);
	out_str(o, ",\"hostname\":");
	api_json_str(o, st.hostname);
	out_fmt(o, ",\"uptime_s\":%llu,\"load\":[%llu.%02llu,%llu.%02llu,%llu.%02llu]",
		st.uptime_cs / 100, st.load[0] / 100, st.load[0] % 100, st.load[1] / 100,
		st.load[1] % 100, st.load[2] / 100, st.load[2] % 100);
	out_fmt(o, ",\"memory\":{\"total_bytes\":%llu,\"available_bytes\":%llu}", st.mem_total,
		st.mem_avail);
	out_str(o, ",\"services\":[");
	for (i = 0; i < st.nsvc; i++) {
		const struct api_svc *s = &st.svc[i];

		out_str(o, i ? ",{\"name\":" : "{\"name\":");
		api_json_str(o, s->name);
		out_str(o, ",\"state\":");
		api_json_str(o, s->state);
		out_fmt(o, ",\"pid\":%ld,\"restarts\":%lu,\"uptime_s\":%lld,\"last_exit\":",
			s->pid, s->restarts, s->uptime_ms / 1000);
		if (s->last_exit[0])
			api_json_str(o, s->last_exit);
		else
			out_str(o, "null");
		out_str(o, "}");
	}
	out_str(o, "]");
	if (!st.have_control) {
		out_str(o, ",\"services_error\":");
		api_json_str(o, st.control_error);
	}
	out_str(o, ",\"network\":{\"interfaces\":[");
	for (i = 0; i < st.nifc; i++) {
		out_str(o, i ? ",{\"name\":" : "{\"name\":");
		api_json_str(o, st.ifc[i].name);
		out_str(o, ",\"addresses\":[");
		for (k = 0; k < st.ifc[i].naddr; k++) {
			if (k)
				out_str(o, ",");
			api_json_str(o, st.ifc[i].addr[k]);
		}
		out_fmt(o, "],\"rx_bytes\":%llu,\"tx_bytes\":%llu}", st.ifc[i].rx, st.ifc[i].tx);
	}
	out_str(o, "],\"lease\":");
	if (st.have_lease) {
		out_str(o, "{\"address\":");
		api_json_str(o, st.lease_addr);
		out_fmt(o, ",\"expires_in_s\":%lld}", st.lease_left_s);
	} else {
		out_str(o, "null");
	}
	out_str(o, "},\"data\":");
	if (st.have_data)
		out_fmt(o, "{\"size_bytes\":%llu,\"used_bytes\":%llu}", st.data_size, st.data_used);
	else
		out_str(o, "null");
	out_str(o, ",\"update\":");
	if (st.nupdate < 0) {
		out_str(o, "null");
	} else {
		out_str(o, "{");
		for (i = 0; i < st.nupdate; i++) {
			if (i)
				out_str(o, ",");
			api_json_str(o, st.update[i].key);
			out_str(o, ":");
			api_json_str(o, st.update[i].value);
		}
		out_str(o, "}");
	}
	out_str(o, "}\n");
}

/* Prometheus text exposition format 0.0.4: a label value escapes \ " and
 * newline. Our names are [A-Za-z0-9_-] only, but the rule costs little. */
static void api_label(struct out *o, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			out_mem(o, "\\", 1);
		if (*s == '\n')
			out_str(o, "\\n");
		else
			out_mem(o, s, 1);
	}
}

static void api_metric(struct out *o, const char *name, const char *type, const char *help)
{
	out_fmt(o, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void api_metrics(struct out *o)
{
	int i;

	api_gather();
	api_metric(o, "minilinux_info", "gauge", "The image's version.");
	out_str(o, "minilinux_info{version=\"");
	api_label(o, st.version);
	out_str(o, "\"} 1\n");
	api_metric(o, "minilinux_service_up", "gauge", "1 if the service is running.");
	for (i = 0; i < st.nsvc; i++) {
		out_str(o, "minilinux_service_up{service=\"");
		api_label(o, st.svc[i].name);
		out_fmt(o, "\"} %d\n", strcmp(st.svc[i].state, "running") == 0);
	}
	api_metric(o, "minilinux_service_restarts_total", "counter", "Restarts of the service since boot.");
	for (i = 0; i < st.nsvc; i++) {
		out_str(o, "minilinux_service_restarts_total{service=\"");
		api_label(o, st.svc[i].name);
		out_fmt(o, "\"} %lu\n", st.svc[i].restarts);
	}
	api_metric(o, "minilinux_service_uptime_seconds", "gauge", "Seconds the running instance has run.");
	for (i = 0; i < st.nsvc; i++) {
		out_str(o, "minilinux_service_uptime_seconds{service=\"");
		api_label(o, st.svc[i].name);
		out_fmt(o, "\"} %lld.%03lld\n", st.svc[i].uptime_ms / 1000, st.svc[i].uptime_ms % 1000);
	}
	api_metric(o, "minilinux_memory_total_bytes", "gauge", "MemTotal.");
	out_fmt(o, "minilinux_memory_total_bytes %llu\n", st.mem_total);
	api_metric(o, "minilinux_memory_available_bytes", "gauge", "MemAvailable.");
	out_fmt(o, "minilinux_memory_available_bytes %llu\n", st.mem_avail);
	api_metric(o, "minilinux_load1", "gauge", "Load average over 1 minute.");
	out_fmt(o, "minilinux_load1 %llu.%02llu\n", st.load[0] / 100, st.load[0] % 100);
	api_metric(o, "minilinux_load5", "gauge", "Load average over 5 minutes.");
	out_fmt(o, "minilinux_load5 %llu.%02llu\n", st.load[1] / 100, st.load[1] % 100);
	api_metric(o, "minilinux_load15", "gauge", "Load average over 15 minutes.");
	out_fmt(o, "minilinux_load15 %llu.%02llu\n", st.load[2] / 100, st.load[2] % 100);
	api_metric(o, "minilinux_uptime_seconds", "gauge", "Seconds since boot.");
	out_fmt(o, "minilinux_uptime_seconds %llu.%02llu\n", st.uptime_cs / 100, st.uptime_cs % 100);
	api_metric(o, "minilinux_network_receive_bytes_total", "counter", "Bytes received.");
	for (i = 0; i < st.nifc; i++) {
		out_str(o, "minilinux_network_receive_bytes_total{interface=\"");
		api_label(o, st.ifc[i].name);
		out_fmt(o, "\"} %llu\n", st.ifc[i].rx);
	}
	api_metric(o, "minilinux_network_transmit_bytes_total", "counter", "Bytes sent.");
	for (i = 0; i < st.nifc; i++) {
		out_str(o, "minilinux_network_transmit_bytes_total{interface=\"");
		api_label(o, st.ifc[i].name);
		out_fmt(o, "\"} %llu\n", st.ifc[i].tx);
	}
	if (st.have_data) {
		api_metric(o, "minilinux_data_size_bytes", "gauge", "Size of the data partition.");
		out_fmt(o, "minilinux_data_size_bytes %llu\n", st.data_size);
		api_metric(o, "minilinux_data_used_bytes", "gauge", "Bytes used on the data partition.");
		out_fmt(o, "minilinux_data_used_bytes %llu\n", st.data_used);
	}
	if (st.have_lease) {
		api_metric(o, "minilinux_dhcp_lease_remaining_seconds", "gauge",
			   "Seconds until the DHCP lease expires.");
		out_fmt(o, "minilinux_dhcp_lease_remaining_seconds %lld\n", st.lease_left_s);
	}
	if (st.have_httpd) {
		api_metric(o, "minilinux_httpd_requests_total", "counter",
			   "Requests answered by the built-in HTTP server.");
		out_fmt(o, "minilinux_httpd_requests_total %llu\n", st.httpd_requests);
	}
	api_metric(o, "minilinux_admin_requests_total", "counter", "Requests to this admin API.");
	out_fmt(o, "minilinux_admin_requests_total %lu\n", admin_requests_served());
}

static void api_h(struct out *o, const char *s)
{
	out_html(o, s, strlen(s));
}

static void api_bytes(struct out *o, unsigned long long b)
{
	if (b >= 10ULL << 30)
		out_fmt(o, "%llu GiB", b >> 30);
	else if (b >= 10ULL << 20)
		out_fmt(o, "%llu MiB", b >> 20);
	else
		out_fmt(o, "%llu KiB", b >> 10);
}

static void api_duration(struct out *o, long long s)
{
	if (s >= 86400)
		out_fmt(o, "%lldd %lldh", s / 86400, s % 86400 / 3600);
	else if (s >= 3600)
		out_fmt(o, "%lldh %lldm", s / 3600, s % 3600 / 60);
	else if (s >= 60)
		out_fmt(o, "%lldm %llds", s / 60, s % 60);
	else
		out_fmt(o, "%llds", s);
}

static const char page_head[] =
	"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	"<title>minilinux admin</title><style>"
	"body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;background:#fafafa}"
	"h1{font-size:1.4em;margin:0 0 .3em}h2{font-size:1.1em;margin:1.2em 0 .4em}"
	"table{border-collapse:collapse;background:#fff}td,th{border:1px solid #ddd;padding:.3em .6em;"
	"text-align:left;vertical-align:top}th{background:#f0f0f0}"
	".running{color:#075}.failed,.backoff{color:#b00}.starting,.stopping{color:#a60}"
	"pre{margin:0;font-size:12px;white-space:pre-wrap;max-width:60em}"
	"form{display:inline;margin:0}button{padding:.2em .8em}"
	".power form{margin-right:.6em}</style></head><body>\n";

void api_page(struct out *o)
{
	static char log[API_LOG_MAX];
	int i, k;

	api_gather();
	out_str(o, page_head);
	out_str(o, "<h1>");
	api_h(o, st.hostname);
	out_str(o, "</h1>\n<table><tr><th>version</th><td id=\"version\">");
	api_h(o, st.version);
	out_str(o, "</td></tr><tr><th>uptime</th><td>");
	api_duration(o, (long long)(st.uptime_cs / 100));
	out_fmt(o, "</td></tr><tr><th>load</th><td>%llu.%02llu %llu.%02llu %llu.%02llu</td></tr>",
		st.load[0] / 100, st.load[0] % 100, st.load[1] / 100, st.load[1] % 100,
		st.load[2] / 100, st.load[2] % 100);
	out_str(o, "<tr><th>memory</th><td>");
	api_bytes(o, st.mem_total - st.mem_avail);
	out_str(o, " used of ");
	api_bytes(o, st.mem_total);
	out_str(o, "</td></tr><tr><th>addresses</th><td>");
	for (i = 0; i < st.nifc; i++)
		for (k = 0; k < st.ifc[i].naddr; k++) {
			api_h(o, st.ifc[i].name);
			out_str(o, " ");
			api_h(o, st.ifc[i].addr[k]);
			out_str(o, "<br>");
		}
	out_str(o, "</td></tr><tr><th>lease</th><td>");
	if (st.have_lease) {
		api_h(o, st.lease_addr);
		out_str(o, ", expires in ");
		api_duration(o, st.lease_left_s);
	} else {
		out_str(o, "none");
	}
	out_str(o, "</td></tr><tr><th>data</th><td>");
	if (st.have_data) {
		api_bytes(o, st.data_used);
		out_str(o, " used of ");
		api_bytes(o, st.data_size);
	} else {
		out_str(o, "not mounted");
	}
	out_str(o, "</td></tr></table>\n<h2>Services</h2>\n");
	if (!st.have_control) {
		out_str(o, "<p>Services unknown: ");
		api_h(o, st.control_error);
		out_str(o, "</p>\n");
	}
	out_str(o, "<table><tr><th>service</th><th>state</th><th>pid</th><th>uptime</th>"
		   "<th>restarts</th><th>last exit</th><th>recent log</th><th></th></tr>\n");
	for (i = 0; i < st.nsvc; i++) {
		const struct api_svc *s = &st.svc[i];
		char req[48];
		ssize_t n;

		out_str(o, "<tr><td class=\"name\">");
		api_h(o, s->name);
		out_fmt(o, "</td><td class=\"state %s\">", s->state);
		api_h(o, s->state);
		out_str(o, "</td><td>");
		if (s->pid > 0)
			out_fmt(o, "%ld", s->pid);
		out_str(o, "</td><td>");
		if (s->pid > 0)
			api_duration(o, s->uptime_ms / 1000);
		out_fmt(o, "</td><td>%lu</td><td>", s->restarts);
		api_h(o, s->last_exit);
		out_str(o, "</td><td><pre>");
		snprintf(req, sizeof(req), "log %s", s->name);
		n = admin_control(req, log, sizeof(log));
		if (n > 0) {
			/* The last API_LOG_LINES lines. */
			ssize_t p = n;
			int lines = 0;

			while (p > 0) {
				if (log[p - 1] == '\n' && p != n && ++lines == API_LOG_LINES)
					break;
				p--;
			}
			out_html(o, log + p, (size_t)(n - p));
		}
		out_str(o, "</pre><a href=\"/api/services/");
		api_h(o, s->name);
		out_str(o, "/log\">whole log</a></td><td><form method=\"post\" action=\"/api/services/");
		api_h(o, s->name);
		out_str(o, "/restart\"><button type=\"submit\">Restart</button></form></td></tr>\n");
	}
	out_str(o, "</table>\n");
	if (st.nupdate >= 0) {
		out_str(o, "<h2>Update</h2>\n<table>");
		for (i = 0; i < st.nupdate; i++) {
			out_str(o, "<tr><th>");
			api_h(o, st.update[i].key);
			out_str(o, "</th><td>");
			api_h(o, st.update[i].value);
			out_str(o, "</td></tr>");
		}
		out_str(o, "</table>\n");
	}
	out_str(o, "<h2>Machine</h2>\n<div class=\"power\">"
		   "<form method=\"post\" action=\"/api/reboot\"><button type=\"submit\">Reboot</button></form>"
		   "<form method=\"post\" action=\"/api/poweroff\"><button type=\"submit\">Power off</button></form>"
		   "</div>\n<p><a href=\"/api/status\">/api/status</a> &middot; <a href=\"/metrics\">/metrics</a></p>\n"
		   "</body></html>\n");
}
