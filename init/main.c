/* main.c - dispatch: PID 1, or one of the built-in roles. */
#include "lib/log.h"
#include "lib/roles.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const struct role {
	const char *name;
	int (*main)(int, char **);
	const char *usage;
} roles[] = {
	{ "pid1", pid1_main, "pid1 [--config FILE]   the init system (automatic as PID 1; elsewhere a subreaper supervisor)" },
	{ "httpd", httpd_main, "httpd [--port N] [--ready-fd FD]   the built-in HTTP server" },
	{ "dhcp", dhcp_main, "dhcp --iface IF [--ready-fd FD]    the DHCPv4 client" },
	{ "sntp", sntp_main, "sntp [--servers a,b] [--no-set] [--ready-fd FD]   the SNTP client" },
	{ "resolve", resolve_main, "resolve [--resolv-conf PATH] NAME   one address of NAME, through DNS" },
	{ "update", update_main, "update [--esp DIR] [--socket PATH] ...   the update role (docs/update.md)" },
	{ "bios-cfg", bios_cfg_main, "bios-cfg ESP-DIR   write ESP-DIR/grub/slots.cfg, GRUB's list of the slots (make image)" },
#ifndef MINILINUX_NO_ADMIN
	{ "admin", admin_main, "admin [--port N] [--dir DIR] [--control-fd FD] [--ready-fd FD]   the HTTPS admin API" },
#endif
	{ "check-config", check_config_main, "check-config FILE   check a services file" },
	{ "install", install_main, "install [--disk NAME] [--image FILE]   the installer (the installer ISO's PID 1 runs it)" },
};

static void usage(void)
{
	size_t i;

	dprintf(STDERR_FILENO, "usage: init ROLE [ARGS...]\n");
	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		dprintf(STDERR_FILENO, "  init %s\n", roles[i].usage);
}

int main(int argc, char **argv)
{
	size_t i;

	/* The kernel may pass its own arguments to PID 1; they are not roles. */
	if (getpid() == 1)
		return pid1_main(argc, argv);
	if (argc < 2) {
		usage();
		return 2;
	}
	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(argv[1], roles[i].name) == 0)
			return roles[i].main(argc - 1, argv + 1);
	dprintf(STDERR_FILENO, "init: unknown role '%s'\n", argv[1]);
	usage();
	return 2;
}
