/* test_ipconfig.c - the kernel's ip= syntax, valid and invalid. */
#include "check.h"
#include "pure/netcfg.h"

#include <arpa/inet.h>
#include <string.h>

static int parse(const char *cmdline, struct netcfg *nc, const char **why)
{
	*why = NULL;
	return netcfg_parse_cmdline(cmdline, strlen(cmdline), "eth0", nc, why);
}

int main(void)
{
	struct netcfg nc;
	const char *why;
	static const char *const invalid[] = {
		"ip=10.0.2.300::10.0.2.2:255.255.255.0::eth0:off",
		"ip=10.0.2.15::10.0.2.2:255.0.255.0::eth0:off",
		"ip=10.0.2.15::10.0.2.2:255.255.255.0:bad_host:eth0:off",
		"ip=10.0.2.15::10.0.2.2:255.255.255.0::eth0:off:10.0.2.x",
		"ip=10.0.2.15::gateway:255.255.255.0::eth0:off",
		"ip=::10.0.2.2:255.255.255.0::eth0:off",
		"ip=224.0.0.1::10.0.2.2:255.255.255.0::eth0:off",
		"ip=10.0.2.15::10.0.2.2:255.255.255.0::eth0:sometimes",
		"ip=static-please",
		"ip=10.0.2::10.0.2.2:255.255.255.0::eth0:off",
		"ip=10.0.2.15.1::10.0.2.2:255.255.255.0::eth0:off",
		"ip=10.0.2.0015::10.0.2.2:255.255.255.0::eth0:off",
		"ip=10.0.2.15::10.0.2.2:255.255.255.0:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:eth0:off",
	};
	size_t i;

	CHECK(parse("console=ttyS0 quiet "
	    "ip=10.0.2.15::10.0.2.2:255.255.255.0:box:eth0:off:10.0.2.3:10.0.2.4\n",
	    &nc, &why) == 1);
	CHECK(nc.addr == inet_addr("10.0.2.15") && nc.plen == 24);
	CHECK(nc.gw == inet_addr("10.0.2.2"));
	CHECK(nc.ndns == 2 && nc.dns[0] == inet_addr("10.0.2.3") &&
	    nc.dns[1] == inet_addr("10.0.2.4"));
	CHECK(strcmp(nc.hostname, "box") == 0);

	/* device left out: any interface; netmask left out: the class */
	CHECK(parse("ip=192.168.1.9:::::", &nc, &why) == 1);
	CHECK(nc.plen == 24 && nc.gw == 0 && nc.ndns == 0);
	CHECK(parse("ip=10.1.2.3::10.0.0.1:::eth0:none", &nc, &why) == 1 && nc.plen == 8);

	/* ip=<client-ip> alone, as the kernel takes it: class netmask, no
	 * gateway, no DNS, any device */
	CHECK(parse("console=ttyS0 ip=10.0.2.15 quiet", &nc, &why) == 1);
	CHECK(nc.addr == inet_addr("10.0.2.15") && nc.plen == 8 && nc.gw == 0 &&
	    nc.ndns == 0 && nc.hostname[0] == 0);
	CHECK(parse("ip=172.16.5.4", &nc, &why) == 1 && nc.plen == 16);
	CHECK(parse("ip=192.168.7.1\n", &nc, &why) == 1 && nc.plen == 24 &&
	    nc.addr == inet_addr("192.168.7.1"));
	CHECK(netcfg_parse_cmdline("ip=192.168.7.1", 14, "eth9", &nc, &why) == 1);
	CHECK(parse("ip=dhcp ip=10.9.8.7", &nc, &why) == 1 && nc.plen == 8);
	/* a space ends the value: what follows is another parameter */
	CHECK(parse("ip=10.0.2.15 ::10.0.2.2:255.255.255.0::eth0:off", &nc, &why) == 1 &&
	    nc.gw == 0 && nc.plen == 8);
	/* alone but not an address: a clear refusal */
	CHECK(parse("ip=10.0.2", &nc, &why) == -1 && why && strstr(why, "method"));
	CHECK(parse("ip=127.0.0.1", &nc, &why) == -1 && why);
	CHECK(parse("ip=0.0.0.0", &nc, &why) == -1 && why);
	CHECK(parse("ip=239.1.1.1", &nc, &why) == -1 && why);

	/* not static: none, DHCP asked for, another device */
	CHECK(parse("console=ttyS0 quiet", &nc, &why) == 0);
	CHECK(parse("ip=dhcp", &nc, &why) == 0);
	CHECK(parse("ip=::::box:eth0:dhcp", &nc, &why) == 0);
	CHECK(parse("ip=10.0.2.15::10.0.2.2:255.255.255.0::eth1:off", &nc, &why) == 0);
	CHECK(parse("noip=10.0.2.15::10.0.2.2:255.255.255.0::eth0:off", &nc, &why) == 0);
	/* the last ip= wins */
	CHECK(parse("ip=10.0.2.15::10.0.2.2:255.255.255.0::eth0:off ip=dhcp", &nc, &why) == 0);

	for (i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		int r = parse(invalid[i], &nc, &why);

		if (r != -1 || !why)
			fprintf(stderr, "accepted: %s\n", invalid[i]);
		CHECK(r == -1 && why != NULL);
	}
	return check_done("ipconfig");
}
