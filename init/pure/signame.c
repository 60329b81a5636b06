/* signame.c - signal names without the C library's table. */
#include "pure/signame.h"

#include <string.h>

const char *signal_name(int sig)
{
	/* Linux numbering, the same on x86 and arm64; NUL-separated so the
	 * table costs its letters and nothing more. */
	static const char names[] =
		"SIGHUP\0SIGINT\0SIGQUIT\0SIGILL\0SIGTRAP\0SIGABRT\0SIGBUS\0SIGFPE\0"
		"SIGKILL\0SIGUSR1\0SIGSEGV\0SIGUSR2\0SIGPIPE\0SIGALRM\0SIGTERM\0"
		"SIGSTKFLT\0SIGCHLD\0SIGCONT\0SIGSTOP\0SIGTSTP\0SIGTTIN\0SIGTTOU\0"
		"SIGURG\0SIGXCPU\0SIGXFSZ\0SIGVTALRM\0SIGPROF\0SIGWINCH\0SIGIO\0"
		"SIGPWR\0SIGSYS\0";
	const char *p = names;

	if (sig < 1 || sig > 31)
		return "SIG?";
	while (--sig)
		p += strlen(p) + 1;
	return p;
}
