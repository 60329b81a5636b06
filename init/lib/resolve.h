/* resolve.h - a stub resolver for the roles (never for PID 1): names to
 * addresses through the nameservers of a resolv.conf (the DHCP client's
 * /run/net/resolv.conf), over UDP. Blocking, bounded: RESOLVE_TRIES
 * rounds over at most RESOLVE_MAX_NS servers, RESOLVE_TIMEOUT_MS each. */
#ifndef MINILINUX_RESOLVE_H
#define MINILINUX_RESOLVE_H

#include "pure/dns.h"

#include <stddef.h>

#define RESOLVE_MAX_NS      3	/* resolv.conf(5) MAXNS */
#define RESOLVE_TRIES       2	/* rounds over the servers */
#define RESOLVE_TIMEOUT_MS  2000	/* for one answer from one server */
#define RESOLVE_CONF_MAX    4096	/* bytes of resolv.conf read */
#define RESOLVE_CONF        "/run/net/resolv.conf"

/* NAME's addresses into OUT (at most MAX): IPv4 (A) first, else IPv6
 * (AAAA). CONF: a resolv.conf, or NULL for RESOLVE_CONF. The number
 * found (>= 1), or -1 with errno (ENOENT: no such name or no address;
 * ENETUNREACH: no nameserver; ETIMEDOUT: no answer) and, if WHY is not
 * NULL, a reason for a console line. */
int resolve_name(const char *name, const char *conf, struct dns_addr *out, size_t max,
		 const char **why);

#endif
