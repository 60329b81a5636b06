/* signame.h - signal numbers to names. Pure. */
#ifndef MINILINUX_SIGNAME_H
#define MINILINUX_SIGNAME_H

/* "SIGTERM" for 15, and so on for 1-31; "SIG?" for others. */
const char *signal_name(int sig);

#endif
