/* netcfg.c - parse the kernel's `ip=` static network configuration. */
#include "pure/netcfg.h"

#include "pure/dhcp_msg.h"

#include <arpa/inet.h>
#include <string.h>

#define NETCFG_FIELDS	10
#define NETCFG_FIELD_MAX 64

enum { F_CLIENT, F_SERVER, F_GW, F_MASK, F_HOST, F_DEV, F_AUTO, F_DNS0,
    F_DNS1, F_NTP0 };

/* Copy [p, p + len) into a NUL-terminated field; -1 if too long. */
static int field_copy(char *out, const char *p, size_t len)
{
	if (len >= NETCFG_FIELD_MAX)
		return -1;
	memcpy(out, p, len);
	out[len] = 0;
	return 0;
}

/* A dotted quad, exactly four decimal parts of 0-255. */
static int parse_ip(const char *s, uint32_t *out)
{
	uint8_t b[4];
	unsigned v, digits;
	int i;

	for (i = 0; i < 4; i++) {
		v = 0;
		for (digits = 0; *s >= '0' && *s <= '9' && digits < 4; digits++)
			v = v * 10 + (unsigned)(*s++ - '0');
		if (digits == 0 || digits > 3 || v > 255)
			return -1;
		b[i] = (uint8_t)v;
		if (*s != (i < 3 ? '.' : 0))
			return -1;
		if (i < 3)
			s++;
	}
	memcpy(out, b, 4);
	return 0;
}

static int mask_plen(uint32_t mask_net, unsigned *plen)
{
	uint32_t m = ntohl(mask_net);
	unsigned n = 0;

	if (m & (~m >> 1))
		return -1;	/* not contiguous */
	while (m & 0x80000000u) {
		n++;
		m <<= 1;
	}
	*plen = n;
	return 0;
}

/* The kernel's <autoconf> words (Documentation/admin-guide/nfs/
 * nfsroot.rst), as lists "a\0b\0...\0" that end with an empty word. */
#define NETCFG_AUTO_DHCP	"dhcp\0on\0any\0both\0bootp\0"
#define NETCFG_AUTO_OFF		"off\0none\0"

static int is_one_of(const char *s, const char *list)
{
	for (; *list; list += strlen(list) + 1)
		if (strcmp(s, list) == 0)
			return 1;
	return 0;
}

/* One ip= value (without "ip="), [v, v + len). */
static int netcfg_parse_value(const char *v, size_t len, const char *ifname,
    struct netcfg *nc, const char **why)
{
	char f[NETCFG_FIELDS][NETCFG_FIELD_MAX];
	size_t i, start = 0, nf = 0;
	uint32_t mask, h, dns;

	memset(f, 0, sizeof(f));
	for (i = 0; i <= len && nf < NETCFG_FIELDS; i++) {
		if (i == len || v[i] == ':') {
			if (field_copy(f[nf++], v + start, i - start) < 0) {
				*why = "a field of ip= is too long";
				return -1;
			}
			start = i + 1;
		}
	}
	/* ip=dhcp, ip=on, ...: the kernel's autoconfiguration words.
	 * Anything else alone is <client-ip> with every other field empty
	 * (the kernel's ip_auto_config_setup() reads it so): the class
	 * netmask, no gateway, any device. */
	if (nf == 1 && is_one_of(f[0], NETCFG_AUTO_DHCP NETCFG_AUTO_OFF
	    "rarp\0dhcp6\0auto6\0"))
		return 0;
	if (f[F_DEV][0] && strcmp(f[F_DEV], ifname) != 0)
		return 0;		/* for another interface */
	if (!(is_one_of(f[F_AUTO], NETCFG_AUTO_OFF "static\0") ||
	    (f[F_AUTO][0] == 0 && f[F_CLIENT][0]))) {
		if (f[F_AUTO][0] == 0 || is_one_of(f[F_AUTO], NETCFG_AUTO_DHCP))
			return 0;
		*why = "unknown <autoconf> in ip= (use off)";
		return -1;
	}
	memset(nc, 0, sizeof(*nc));
	if (parse_ip(f[F_CLIENT], &nc->addr) < 0) {
		*why = nf == 1 ? "ip= is neither a method nor <client-ip>" :
		    "invalid <client-ip> in ip=";
		return -1;
	}
	h = ntohl(nc->addr);
	if ((h >> 24) == 0 || (h >> 24) == 127 || (h >> 28) >= 14) {
		*why = "<client-ip> in ip= is not a unicast address";
		return -1;
	}
	if (f[F_MASK][0]) {
		if (parse_ip(f[F_MASK], &mask) < 0 || mask_plen(mask, &nc->plen) < 0 ||
		    nc->plen == 0) {
			*why = "invalid <netmask> in ip=";
			return -1;
		}
	} else {
		/* the kernel's default: the class of the address */
		nc->plen = (h >> 31) == 0 ? 8 : (h >> 30) == 2 ? 16 : 24;
	}
	if (f[F_GW][0] && (parse_ip(f[F_GW], &nc->gw) < 0 || nc->gw == 0 ||
	    nc->gw == nc->addr)) {
		*why = "invalid <gw-ip> in ip=";
		return -1;
	}
	if (f[F_HOST][0]) {
		if (!dhcp_name_valid(f[F_HOST], strlen(f[F_HOST])) ||
		    strlen(f[F_HOST]) >= sizeof(nc->hostname)) {
			*why = "invalid <hostname> in ip=";
			return -1;
		}
		memcpy(nc->hostname, f[F_HOST], strlen(f[F_HOST]) + 1);
	}
	for (i = F_DNS0; i <= F_DNS1; i++) {
		if (!f[i][0])
			continue;
		if (parse_ip(f[i], &dns) < 0 || dns == 0) {
			*why = "invalid <dns-ip> in ip=";
			return -1;
		}
		nc->dns[nc->ndns++] = dns;
	}
	return 1;
}

int netcfg_parse_cmdline(const char *cmdline, size_t len, const char *ifname,
    struct netcfg *nc, const char **why)
{
	const char *val = NULL;
	size_t i = 0, start, vlen = 0;

	/* The last ip= wins, as in the kernel. */
	while (i < len) {
		while (i < len && (cmdline[i] == ' ' || cmdline[i] == '\t' ||
		    cmdline[i] == '\n'))
			i++;
		start = i;
		while (i < len && cmdline[i] != ' ' && cmdline[i] != '\t' &&
		    cmdline[i] != '\n' && cmdline[i] != 0)
			i++;
		if (i - start > 3 && memcmp(cmdline + start, "ip=", 3) == 0) {
			val = cmdline + start + 3;
			vlen = i - start - 3;
		}
		if (i < len && cmdline[i] == 0)
			break;
	}
	if (!val)
		return 0;
	return netcfg_parse_value(val, vlen, ifname, nc, why);
}
