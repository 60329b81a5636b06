/* dhcp.c - placeholder until the client lands. */
#include "roles.h"
int dhcp_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	return 1;
}
