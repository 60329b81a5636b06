/* roles.h - the entry points of the one /init binary.
 *
 * As PID 1 the binary is the init system; started with a role name as its
 * first argument it is one of the built-in services, which PID 1 runs as
 * supervised children and which tests run directly on the host. */
#ifndef MINILINUX_ROLES_H
#define MINILINUX_ROLES_H

int pid1_main(int argc, char **argv);
int httpd_main(int argc, char **argv);
int dhcp_main(int argc, char **argv);
int sntp_main(int argc, char **argv);
int resolve_main(int argc, char **argv);
int check_config_main(int argc, char **argv);
int install_main(int argc, char **argv);
int update_main(int argc, char **argv);
int bios_cfg_main(int argc, char **argv);
int admin_main(int argc, char **argv);

#endif
