/* netcfg.h - the kernel's static `ip=` parameter, parsed (pure).
 *
 * ip=<client-ip>:<server-ip>:<gw-ip>:<netmask>:<hostname>:<device>:
 *    <autoconf>:<dns0-ip>:<dns1-ip>:<ntp0-ip>
 * ip=<client-ip>   (alone: the class netmask, no gateway, any device)
 * ip=<autoconf>    (dhcp, on, off, ...: no static configuration)
 * (Documentation/admin-guide/nfs/nfsroot.rst). */
#ifndef MINILINUX_NETCFG_H
#define MINILINUX_NETCFG_H

#include <stddef.h>
#include <stdint.h>

#define NETCFG_CMDLINE_MAX	4096
#define NETCFG_MAX_DNS		2
#define NETCFG_HOSTNAME_MAX	64

struct netcfg {
	uint32_t addr, gw;		/* network byte order */
	unsigned plen;
	size_t ndns;
	uint32_t dns[NETCFG_MAX_DNS];
	char hostname[NETCFG_HOSTNAME_MAX];
};

/* From a command line: 1 a static configuration for ifname, 0 none (no
 * ip=, DHCP asked for, or another device), -1 invalid with *why set. */
int netcfg_parse_cmdline(const char *cmdline, size_t len, const char *ifname,
    struct netcfg *nc, const char **why);

#endif
