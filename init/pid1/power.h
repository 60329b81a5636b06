/* power.h - the power button and ctrl-alt-del, read from evdev devices. */
#ifndef MINILINUX_POWER_H
#define MINILINUX_POWER_H

/* Watch every /dev/input/event* that can send KEY_POWER or KEY_DELETE in
 * the event loop: POWER runs on a power key press, CAD on ctrl-alt-del (the
 * kernel has no virtual terminal to turn it into SIGINT). Returns the
 * number of devices watched. */
int power_watch_buttons(void (*power)(void), void (*cad)(void));

#endif
