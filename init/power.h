/* power.h - the power button: evdev devices that report KEY_POWER. */
#ifndef MINILINUX_POWER_H
#define MINILINUX_POWER_H

/* Open every /dev/input/event* that can send KEY_POWER and watch it in the
 * event loop; FN runs on each press. Returns the number of devices found. */
int power_watch_buttons(void (*fn)(void));

#endif
