/* SPDX-License-Identifier: GPL-2.0 */
/* leaseguardd: the daemon's configuration, log and routes. */
#ifndef LGD_H
#define LGD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <syslog.h>

#define LGD_CONF_DEFAULT	"/etc/leaseguard/leaseguardd.conf"

/* RTPROT_*: free in the kernel's list and in iproute2's rt_protos. */
#define LGD_RT_PROTOCOL_DEFAULT	200
#define LGD_RT_TABLE_DEFAULT	254	/* main */
#define LGD_RT_METRIC_DEFAULT	1024

struct lgd_conf {
	int log_level;			/* LOG_ERR..LOG_DEBUG */
	bool log_syslog;
	bool routes;			/* install access routes */
	uint32_t route_table;
	uint32_t route_metric;
	uint8_t route_protocol;
};

void lgd_conf_defaults(struct lgd_conf *c);
/*
 * Reads path into c (which holds the defaults, or what to override).
 * Returns 0, or -1 after logging "FILE:LINE: what is wrong". A missing
 * file is an error only if must_exist.
 */
int lgd_conf_load(struct lgd_conf *c, const char *path, bool must_exist);
/* One setting, as a line of the file says it: NULL, or what is wrong. */
const char *lgd_conf_set(struct lgd_conf *c, const char *key,
			 const char *val);
/* A log level by name (err, warning, notice, info, debug), or -1. */
int lgd_log_level_parse(const char *s);

/* log.c */
void lgd_log_init(int level, bool use_syslog);
void lgd_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define lgd_err(...)	lgd_log(LOG_ERR, __VA_ARGS__)
#define lgd_warn(...)	lgd_log(LOG_WARNING, __VA_ARGS__)
#define lgd_notice(...)	lgd_log(LOG_NOTICE, __VA_ARGS__)
#define lgd_info(...)	lgd_log(LOG_INFO, __VA_ARGS__)
#define lgd_debug(...)	lgd_log(LOG_DEBUG, __VA_ARGS__)

/* routes.c: the access routes of one binding, in rtnetlink. */
struct lgd_route {
	uint8_t dst[16];
	uint8_t plen;
	bool has_gw;
	uint8_t gw[16];			/* the client's link-local */
	uint32_t ifindex;
};

struct lgd_routes;

struct lgd_routes *lgd_routes_open(const struct lgd_conf *c);
void lgd_routes_close(struct lgd_routes *r);
/*
 * Adds (never replacing a route that is not ours) or deletes n routes, as
 * few sendmsg() as fit, every ACK checked. Returns how many failed (each
 * one logged), or -errno if the socket failed.
 */
int lgd_routes_change(struct lgd_routes *r, const struct lgd_route *v,
		      size_t n, bool add);
/* Our routes (our protocol, our table), into a malloc'ed array. */
int lgd_routes_dump(struct lgd_routes *r, struct lgd_route **v, size_t *n);
int lgd_route_cmp(const struct lgd_route *a, const struct lgd_route *b);
const char *lgd_route_str(const struct lgd_route *rt, char *buf,
			  size_t len);

#endif /* LGD_H */
