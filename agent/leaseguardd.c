// SPDX-License-Identifier: GPL-2.0
/*
 * leaseguardd: turns the kernel's bindings into access routes.
 *
 * One epoll loop over two descriptors: the "bindings" multicast group of
 * the leaseguard family, and a signalfd. On start (and whenever events
 * were lost) it dumps the bindings and our routes and reconciles them:
 * what a binding needs is added, what none needs is removed, what is
 * right already is not touched, so a restart does not flap a route.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <search.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <linux/leaseguard.h>

#include "lgctl.h"
#include "lgd.h"

#define LGD_VERSION	LGCTL_VERSION

/* Leases in one binding: the kernel keeps 4 (DHCP6_MAX_LEASES); room to grow. */
#define LGD_MAX_LEASES	16

/* The routes installed for one binding, by binding ID. */
struct lgd_entry {
	uint64_t id;
	size_t n;
	struct lgd_route *v;
};

struct lgd {
	struct lgd_conf conf;
	const char *conf_path;
	bool conf_must_exist;
	char **overrides;		/* -o KEY=VALUE, applied after the file */
	int n_overrides;
	struct lg_nl events, req;
	struct lgd_routes *routes;
	void *entries;			/* tsearch() tree of struct lgd_entry */
	size_t n_entries;
};

static int lgd_entry_cmp(const void *a, const void *b)
{
	const struct lgd_entry *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static void lgd_entry_free(void *p)
{
	struct lgd_entry *e = p;

	free(e->v);
	free(e);
}

static void lgd_entries_clear(struct lgd *d)
{
	tdestroy(d->entries, lgd_entry_free);
	d->entries = NULL;
	d->n_entries = 0;
}

/* The routes binding b needs, into v (room for b->n_leases). */
static size_t lgd_binding_routes(const struct lg_binding *b,
				 struct lgd_route *v)
{
	size_t i, n = 0;

	if (!b->ifindex)
		return 0;
	for (i = 0; i < b->n_leases; i++) {
		const struct lg_lease *l = &b->leases[i];
		struct lgd_route *rt = &v[n];

		if (!l->has_plen || l->plen > 128)
			continue;
		memset(rt, 0, sizeof(*rt));
		memcpy(rt->dst, l->addr, 16);
		rt->plen = l->plen;
		rt->ifindex = b->ifindex;
		if (b->ia_type == LG_IA_PD) {
			if (!b->has_client_lladdr)
				continue;	/* nowhere to send it */
			rt->has_gw = true;
			memcpy(rt->gw, b->client_lladdr, 16);
		}
		n++;
	}
	return n;
}

static int lgd_route_qcmp(const void *a, const void *b)
{
	return lgd_route_cmp(a, b);
}

/* The entry of binding id, made empty if there is none. */
static struct lgd_entry *lgd_entry_set(struct lgd *d, uint64_t id)
{
	struct lgd_entry key = { .id = id }, *e, **slot;

	slot = tfind(&key, &d->entries, lgd_entry_cmp);
	if (slot)
		return *slot;
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->id = id;
	slot = tsearch(e, &d->entries, lgd_entry_cmp);
	if (!slot) {
		free(e);
		return NULL;
	}
	d->n_entries++;
	return e;
}

static void lgd_entry_del(struct lgd *d, struct lgd_entry *e)
{
	tdelete(e, &d->entries, lgd_entry_cmp);
	d->n_entries--;
	lgd_entry_free(e);
}

/*
 * Makes the routes of an entry want[0..n): removes those no longer wanted,
 * adds the new ones, leaves the rest alone.
 */
static void lgd_entry_update(struct lgd *d, struct lgd_entry *e,
			     struct lgd_route *want, size_t n)
{
	struct lgd_route del[LGD_MAX_LEASES], add[LGD_MAX_LEASES];
	size_t i = 0, j = 0, nd = 0, na = 0;

	qsort(want, n, sizeof(*want), lgd_route_qcmp);
	while (i < e->n || j < n) {
		int c = i == e->n ? 1 : j == n ? -1 :
			lgd_route_cmp(&e->v[i], &want[j]);

		if (c < 0)
			del[nd++] = e->v[i++];
		else if (c > 0)
			add[na++] = want[j++];
		else
			i++, j++;
	}
	if (d->conf.routes) {
		if (nd)
			lgd_routes_change(d->routes, del, nd, false);
		if (na)
			lgd_routes_change(d->routes, add, na, true);
	}
	free(e->v);
	e->v = n ? malloc(n * sizeof(*want)) : NULL;
	e->n = e->v ? n : 0;
	if (e->v)
		memcpy(e->v, want, n * sizeof(*want));
}

static int lgd_on_event(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[LG_A_MAX + 1];
	struct lgd_route want[LGD_MAX_LEASES];
	struct lgd *d = data;
	struct lgd_entry key, *e, **slot;
	struct lg_binding b;
	uint8_t cmd = lg_nl_cmd(nlh);
	size_t n;

	if (cmd != LG_CMD_BINDING_NEW_NTF && cmd != LG_CMD_BINDING_UPD_NTF &&
	    cmd != LG_CMD_BINDING_DEL_NTF)
		return 0;
	if (lg_nl_parse_msg(nlh, tb, LG_A_MAX) || !tb[LG_A_BINDING] ||
	    lg_binding_parse(tb[LG_A_BINDING], &b)) {
		lgd_warn("a binding event could not be parsed: resyncing");
		return -EBADMSG;
	}
	lgd_debug("binding %llu %s", (unsigned long long)b.id,
		  cmd == LG_CMD_BINDING_NEW_NTF ? "new" :
		  cmd == LG_CMD_BINDING_UPD_NTF ? "updated" : "deleted");

	if (cmd == LG_CMD_BINDING_DEL_NTF) {
		key.id = b.id;
		slot = tfind(&key, &d->entries, lgd_entry_cmp);
		if (slot) {
			e = *slot;
			lgd_entry_update(d, e, want, 0);
			lgd_entry_del(d, e);
		}
	} else if (b.n_leases <= LGD_MAX_LEASES) {
		n = lgd_binding_routes(&b, want);
		e = lgd_entry_set(d, b.id);
		if (e)
			lgd_entry_update(d, e, want, n);
	}
	lg_binding_free(&b);
	return 0;
}

/* Dumps bindings and our routes, and makes the routes what bindings need. */
static int lgd_sync(struct lgd *d)
{
	struct lg_binding_list list = {};
	struct lgd_route *want = NULL, *have = NULL, *del, *add;
	size_t n_want = 0, n_have = 0, i, j, nd = 0, na = 0, kept = 0;
	int err;

	err = lg_binding_dump(&d->req, NULL, &list);
	if (err) {
		lgd_err("dumping the bindings: %s", strerror(-err));
		return err;
	}
	lgd_entries_clear(d);
	for (i = 0; i < list.n; i++)
		n_want += list.v[i].n_leases;
	want = calloc(n_want + 1, sizeof(*want));
	if (!want) {
		err = -ENOMEM;
		goto out;
	}
	n_want = 0;
	for (i = 0; i < list.n; i++) {
		struct lgd_entry *e = lgd_entry_set(d, list.v[i].id);
		size_t n = lgd_binding_routes(&list.v[i], want + n_want);

		if (!e) {
			err = -ENOMEM;
			goto out;
		}
		qsort(want + n_want, n, sizeof(*want), lgd_route_qcmp);
		e->v = n ? malloc(n * sizeof(*want)) : NULL;
		if (n && !e->v) {
			err = -ENOMEM;
			goto out;
		}
		memcpy(e->v, want + n_want, n * sizeof(*want));
		e->n = n;
		n_want += n;
	}

	if (!d->conf.routes) {
		lgd_info("sync: %zu bindings (routes off)", list.n);
		goto out;
	}
	err = lgd_routes_dump(d->routes, &have, &n_have);
	if (err) {
		lgd_err("dumping the routes: %s", strerror(-err));
		goto out;
	}
	qsort(want, n_want, sizeof(*want), lgd_route_qcmp);
	qsort(have, n_have, sizeof(*have), lgd_route_qcmp);
	/* In place: del is a prefix of have's slots, add of want's. */
	del = have;
	add = want;
	for (i = j = 0; i < n_have || j < n_want;) {
		int c = i == n_have ? 1 : j == n_want ? -1 :
			lgd_route_cmp(&have[i], &want[j]);

		if (c < 0) {
			del[nd++] = have[i++];
		} else if (c > 0) {
			add[na++] = want[j++];
		} else {
			i++, j++;
			kept++;
		}
	}
	err = lgd_routes_change(d->routes, del, nd, false);
	if (err >= 0)
		err = lgd_routes_change(d->routes, add, na, true);
	if (err < 0)
		lgd_err("changing routes: %s", strerror(-err));
	lgd_info("sync: %zu bindings; routes: %zu kept, %zu added, %zu removed",
		 list.n, kept, na, nd);
	err = err < 0 ? err : 0;
out:
	free(want);
	free(have);
	lg_binding_list_free(&list);
	return err;
}

static int lgd_conf_read(struct lgd *d, struct lgd_conf *c)
{
	int i;

	lgd_conf_defaults(c);
	if (lgd_conf_load(c, d->conf_path, d->conf_must_exist))
		return -1;
	for (i = 0; i < d->n_overrides; i++) {
		char *kv = strdup(d->overrides[i]), *eq = strchr(kv, '=');
		const char *why;

		why = eq ? (*eq = '\0', lgd_conf_set(c, kv, eq + 1)) :
			   "not KEY=VALUE";
		if (why) {
			lgd_err("-o %s: %s", d->overrides[i], why);
			free(kv);
			return -1;
		}
		free(kv);
	}
	return 0;
}

/* SIGHUP: a new configuration, or the old one if the new one is wrong. */
static void lgd_reload(struct lgd *d)
{
	struct lgd_conf c;
	struct lgd_routes *r;
	bool same_routes;

	if (lgd_conf_read(d, &c)) {
		lgd_err("reload: configuration rejected, the old one stays");
		return;
	}
	lgd_log_init(c.log_level, c.log_syslog);
	same_routes = c.routes == d->conf.routes &&
		      c.route_table == d->conf.route_table &&
		      c.route_metric == d->conf.route_metric &&
		      c.route_protocol == d->conf.route_protocol;
	if (!same_routes) {
		r = lgd_routes_open(&c);
		if (!r) {
			lgd_err("reload: no rtnetlink socket, the old configuration stays");
			return;
		}
		/* Off with the old routes; the sync lays the new ones. */
		if (d->conf.routes) {
			struct lgd_route *v;
			size_t n;

			if (!lgd_routes_dump(d->routes, &v, &n)) {
				lgd_routes_change(d->routes, v, n, false);
				free(v);
			}
		}
		lgd_routes_close(d->routes);
		d->routes = r;
	}
	d->conf = c;
	lgd_info("reloaded %s", d->conf_path);
	if (!same_routes)
		lgd_sync(d);
}

static void lgd_usage(FILE *f)
{
	fprintf(f,
		"Usage: leaseguardd [ -c FILE ] [ -o KEY=VALUE ]... [ -t ]\n"
		"  -c FILE       configuration (default " LGD_CONF_DEFAULT ")\n"
		"  -o KEY=VALUE  a setting of the file, overriding it\n"
		"  -t            check the configuration and exit\n"
		"  -V            print the version\n"
		"Signals: HUP reloads the configuration, TERM and INT stop.\n");
}

int main(int argc, char **argv)
{
	struct lgd d = { .conf_path = LGD_CONF_DEFAULT };
	struct epoll_event ev, evs[4];
	bool check_only = false;
	int opt, efd, sfd, err;
	sigset_t sigs;

	lgd_log_init(LOG_INFO, false);
	d.overrides = calloc(argc, sizeof(*d.overrides));
	while ((opt = getopt(argc, argv, "c:o:tVh")) != -1) {
		switch (opt) {
		case 'c':
			d.conf_path = optarg;
			d.conf_must_exist = true;
			break;
		case 'o':
			d.overrides[d.n_overrides++] = optarg;
			break;
		case 't':
			check_only = true;
			break;
		case 'V':
			printf("leaseguardd %s\n", LGD_VERSION);
			return 0;
		case 'h':
			lgd_usage(stdout);
			return 0;
		default:
			lgd_usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		lgd_err("unexpected argument \"%s\"", argv[optind]);
		return 2;
	}
	if (lgd_conf_read(&d, &d.conf))
		return 1;
	if (check_only) {
		printf("%s: configuration ok\n", d.conf_path);
		return 0;
	}
	lgd_log_init(d.conf.log_level, d.conf.log_syslog);

	/* Subscribe before dumping: no change can fall between the two. */
	err = lg_nl_open(&d.events);
	if (!err)
		err = lg_nl_join(&d.events, LEASEGUARD_MCGRP_BINDINGS);
	if (!err)
		err = lg_nl_open(&d.req);
	if (err) {
		lgd_err("leaseguard netlink family: %s%s", strerror(-err),
			err == -LG_NL_ENOFAMILY ? " (is leaseguard.ko loaded?)" : "");
		return 1;
	}
	d.routes = lgd_routes_open(&d.conf);
	if (!d.routes)
		return 1;

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	efd = epoll_create1(EPOLL_CLOEXEC);
	if (sfd < 0 || efd < 0) {
		lgd_err("signalfd/epoll: %s", strerror(errno));
		return 1;
	}
	ev.events = EPOLLIN;
	ev.data.fd = sfd;
	epoll_ctl(efd, EPOLL_CTL_ADD, sfd, &ev);
	ev.data.fd = lg_nl_fd(&d.events);
	epoll_ctl(efd, EPOLL_CTL_ADD, ev.data.fd, &ev);

	lgd_notice("leaseguardd %s starting: routes %s, table %u, metric %u, protocol %u",
		   LGD_VERSION, d.conf.routes ? "on" : "off",
		   d.conf.route_table, d.conf.route_metric,
		   d.conf.route_protocol);
	if (lgd_sync(&d))
		return 1;

	for (;;) {
		int i, n = epoll_wait(efd, evs, 4, -1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			lgd_err("epoll_wait: %s", strerror(errno));
			return 1;
		}
		for (i = 0; i < n; i++) {
			if (evs[i].data.fd == sfd) {
				struct signalfd_siginfo si;

				if (read(sfd, &si, sizeof(si)) != sizeof(si))
					continue;
				if (si.ssi_signo == SIGHUP) {
					lgd_reload(&d);
					continue;
				}
				/* The routes stay: the next start takes them over. */
				lgd_notice("stopping on signal %u; %zu bindings' routes stay",
					   si.ssi_signo, d.n_entries);
				lgd_entries_clear(&d);
				lgd_routes_close(d.routes);
				lg_nl_close(&d.events);
				lg_nl_close(&d.req);
				free(d.overrides);
				return 0;
			}
			err = lg_nl_read_events(&d.events, lgd_on_event, &d);
			if (err == -ENOBUFS || err == -EBADMSG) {
				lgd_warn("binding events lost: resyncing");
				lgd_sync(&d);
			} else if (err && err != -EAGAIN && err != -EINTR) {
				lgd_err("reading events: %s", strerror(-err));
				return 1;
			}
		}
	}
}
