/* admin.h - the admin role's parts: the server (admin.c) and what it
 * serves (api.c). */
#ifndef MINILINUX_ADMIN_H
#define MINILINUX_ADMIN_H

#include <stddef.h>
#include <sys/types.h>

/* A bounded output buffer: writes past CAP set OVERFLOW and are dropped. */
struct out {
	char *p;
	size_t len, cap;
	int overflow;
};

void out_init(struct out *o, char *buf, size_t cap);
void out_mem(struct out *o, const char *s, size_t n);
void out_str(struct out *o, const char *s);
void out_fmt(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void out_json(struct out *o, const char *s, size_t n);	/* a JSON string */
void out_html(struct out *o, const char *s, size_t n);	/* escaped text */

/* One request to PID 1 (pid1/control.h): the answer's length after "ok\n"
 * into BUF, or -1 with the reason in BUF. */
ssize_t admin_control(const char *req, char *buf, size_t len);
unsigned long admin_requests_served(void);

extern const char *admin_update_status;	/* /run/update/status */
extern const char *admin_data_dir;	/* /data */
extern const char *admin_httpd_status;	/* the built-in server's counters */

#define API_LOG_MAX 8192	/* CONTROL_REPLY_MAX */

/* The bodies of GET /, /api/status and /metrics (api.c). */
void api_page(struct out *o);
void api_status(struct out *o);
void api_metrics(struct out *o);

#endif
