/* httpd.c - placeholder until the server lands. */
#include "roles.h"
int httpd_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	return 1;
}
