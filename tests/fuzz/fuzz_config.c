/* libFuzzer: the services file parser and the command line overrides.
 * After each step the configuration must be one PID 1 can use as it is:
 * abort() on any broken invariant, not only on a crash. */
#include "pure/config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* P is a NUL-terminated string inside C's own pool. */
static void check_in_pool(const struct config *c, const char *p)
{
	if (p < c->pool || p >= c->pool + c->pool_used)
		abort();
	if (!memchr(p, '\0', (size_t)(c->pool + c->pool_used - p)))
		abort();
}

static void check_config(const struct config *c)
{
	const struct svc_config *s;
	int i, j, n;

	if (c->nsvc < 0 || c->nsvc > CONFIG_MAX_SVC || c->pool_used > sizeof(c->pool))
		abort();
	if (c->grace_ms < 0 || c->grace_ms > 600 * 1000)
		abort();
	/* the NTP servers and syslog target: terminated, and only the bytes
	 * a host list can hold (PID 1 passes ntp to a role as it is) */
	if (!memchr(c->ntp, '\0', sizeof(c->ntp)) || !memchr(c->syslog, '\0', sizeof(c->syslog)))
		abort();
	for (i = 0; c->ntp[i]; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]_, \t", c->ntp[i]))
			abort();
	for (i = 0; c->syslog[i]; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]_", c->syslog[i]))
			abort();
	for (i = 0; i < c->nsvc; i++) {
		s = &c->svc[i];
		/* Only services with an exec line are kept. */
		if (!s->valid)
			abort();
		if (!memchr(s->name, '\0', sizeof(s->name)) || !s->name[0] ||
		    strcmp(s->name, CONFIG_DHCP_NAME) == 0)
			abort();
		for (j = 0; j < i; j++)
			if (strcmp(c->svc[j].name, s->name) == 0)
				abort();
		if (s->argc < 1 || s->argc > CONFIG_MAX_ARGS)
			abort();
		for (n = 0; n <= CONFIG_MAX_ARGS && s->argv[n]; n++)
			check_in_pool(c, s->argv[n]);
		if (n != s->argc || s->argv[n] != NULL)
			abort();
		if (!s->argv[0][0])
			abort();
		if (s->builtin != (s->argv[0][0] == '@'))
			abort();
		if (s->builtin ? !config_role_known(s->argv[0] + 1, strlen(s->argv[0] + 1)) :
		    s->argv[0][0] != '/')
			abort();
		if (s->envc < 0 || s->envc > CONFIG_MAX_ENV)
			abort();
		for (n = 0; n <= CONFIG_MAX_ENV && s->env[n]; n++) {
			check_in_pool(c, s->env[n]);
			if (!strchr(s->env[n], '=') || s->env[n][0] == '=')
				abort();
		}
		if (n != s->envc || s->env[n] != NULL)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config c;
	size_t half = size / 2;

	config_init(&c);
	config_parse(&c, (const char *)data, half, NULL, NULL);
	check_config(&c);
	config_apply_cmdline(&c, (const char *)data + half, size - half, NULL, NULL);
	check_config(&c);
	return 0;
}
