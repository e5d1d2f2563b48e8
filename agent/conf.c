// SPDX-License-Identifier: GPL-2.0
/*
 * leaseguardd's configuration file: one "key value" a line, '#' starts a
 * comment. See Documentation/leaseguardd.rst. An error names the file,
 * the line and what is wrong, and the daemon does not start half
 * configured.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lgd.h"

void lgd_conf_defaults(struct lgd_conf *c)
{
	*c = (struct lgd_conf) {
		.log_level	= LOG_INFO,
		.routes		= true,
		.route_table	= LGD_RT_TABLE_DEFAULT,
		.route_metric	= LGD_RT_METRIC_DEFAULT,
		.route_protocol	= LGD_RT_PROTOCOL_DEFAULT,
	};
}

static int lgd_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v)
{
	unsigned long long n;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || *end || n < min || n > max)
		return -1;
	*v = n;
	return 0;
}

static int lgd_bool(const char *s, bool *v)
{
	if (!strcmp(s, "yes") || !strcmp(s, "on")) {
		*v = true;
		return 0;
	}
	if (!strcmp(s, "no") || !strcmp(s, "off")) {
		*v = false;
		return 0;
	}
	return -1;
}

/* Applies one "key value"; returns NULL or what is wrong. */
const char *lgd_conf_set(struct lgd_conf *c, const char *key,
				 const char *val)
{
	uint32_t v;
	int level;

	if (!strcmp(key, "log-level")) {
		level = lgd_log_level_parse(val);
		if (level < 0)
			return "log-level is err, warning, notice, info or debug";
		c->log_level = level;
	} else if (!strcmp(key, "log-syslog")) {
		if (lgd_bool(val, &c->log_syslog))
			return "log-syslog is yes or no";
	} else if (!strcmp(key, "routes")) {
		if (lgd_bool(val, &c->routes))
			return "routes is yes or no";
	} else if (!strcmp(key, "route-table")) {
		if (!strcmp(val, "main"))
			v = LGD_RT_TABLE_DEFAULT;
		else if (lgd_u32(val, 1, UINT32_MAX, &v))
			return "route-table is \"main\" or 1 to 4294967295";
		c->route_table = v;
	} else if (!strcmp(key, "route-metric")) {
		if (lgd_u32(val, 0, UINT32_MAX, &v))
			return "route-metric is 0 to 4294967295";
		c->route_metric = v;
	} else if (!strcmp(key, "route-protocol")) {
		/* 0-4 are the kernel's own (unspec, redirect, kernel, boot, static). */
		if (lgd_u32(val, 5, 255, &v))
			return "route-protocol is 5 to 255";
		c->route_protocol = v;
	} else {
		return "unknown key";
	}
	return NULL;
}

int lgd_conf_load(struct lgd_conf *c, const char *path, bool must_exist)
{
	char line[1024], *p, *key, *val, *extra;
	struct lgd_conf next = *c;
	unsigned int lineno = 0;
	const char *why;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT && !must_exist)
			return 0;
		lgd_err("%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			lgd_err("%s:%u: line longer than %zu characters", path,
				lineno, sizeof(line) - 2);
			goto err;
		}
		p = strchr(line, '#');
		if (p)
			*p = '\0';
		key = strtok(line, " \t\r\n");
		if (!key)
			continue;
		val = strtok(NULL, " \t\r\n");
		extra = strtok(NULL, " \t\r\n");
		if (!val) {
			lgd_err("%s:%u: %s: missing value", path, lineno, key);
			goto err;
		}
		if (extra) {
			lgd_err("%s:%u: %s: one value only, \"%s\" is extra",
				path, lineno, key, extra);
			goto err;
		}
		why = lgd_conf_set(&next, key, val);
		if (why) {
			lgd_err("%s:%u: %s \"%s\": %s", path, lineno, key, val,
				why);
			goto err;
		}
	}
	if (ferror(f)) {
		lgd_err("%s: read error", path);
		goto err;
	}
	fclose(f);
	*c = next;
	return 0;

err:
	fclose(f);
	return -1;
}
