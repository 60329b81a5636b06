/* pid1.c - placeholder. */
#include "roles.h"
int pid1_main(int argc, char **argv)
{
	(void)argc; (void)argv;
	for (;;) ;
}
