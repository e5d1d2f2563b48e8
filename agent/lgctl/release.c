// SPDX-License-Identifier: GPL-2.0
/*
 * lgctl release: the relay-initiated releases leaseguardd has in flight.
 * The kernel only knows which bindings are releasing; the requests, their
 * transaction-ids and retransmissions are the daemon's, so this asks the
 * daemon, on its control socket (see agent/control.c for the protocol).
 *
 * Also the waiting side of "lgctl binding release": the outcome of each
 * binding (the server's status, a timeout...) is leaseguardd's to know,
 * since only it sees the RELEASE-REQUEST-REPLY; the kernel would only
 * say deleted or bound again. So lgctl learns the IDs of the bindings it
 * marked from the kernel's notifications, and asks leaseguardd ("outcome
 * since=MS ID...") until each release has ended.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/leaseguard.h>

#include "json_print.h"
#include "lgctl.h"

const char lg_release_help[] =
	"Usage: lgctl release [ show ] [ socket PATH ]\n"
	"       lgctl release help\n"
	"The RELEASE-REQUESTs leaseguardd sent and the server has not answered\n"
	"yet, with the bindings in each, and the counters of the exchange.\n"
	"PATH: leaseguardd's control-socket (default " LGD_CONTROL_DEFAULT ").\n"
	"To start a release: \"lgctl binding release\".\n";

/* The keys whose values are names or addresses; the others are numbers. */
static const char *const lg_rel_strings[] = {
	"xid", "server", "dev", "duid", "ia", "reason", NULL
};

static void lg_rel_print_request(const struct lg_ctl_line *l)
{
	unsigned long long next = strtoull(lg_ctl_get(l, "next-ms"), NULL, 10);

	printf("request %s to %s%s: attempt %s of %s, next in %llu.%01llu s, %s bindings\n",
	       lg_ctl_get(l, "xid"), lg_ctl_get(l, "server"),
	       !strcmp(lg_ctl_get(l, "alternate"), "1") ?
	       " (alternate server)" : "",
	       lg_ctl_get(l, "attempt"), lg_ctl_get(l, "max"), next / 1000,
	       next % 1000 / 100, lg_ctl_get(l, "count"));
}

static void lg_rel_print_binding(const struct lg_ctl_line *l)
{
	printf("\tbinding %s dev %s duid %s %s %s (%s)\n",
	       lg_ctl_get(l, "id"), lg_ctl_get(l, "dev"),
	       lg_ctl_get(l, "duid"),
	       !strcmp(lg_ctl_get(l, "ia"), "pd") ? "IA_PD" : "IA_NA",
	       lg_ctl_get(l, "iaid"), lg_ctl_get(l, "reason"));
}

static void lg_rel_print_stats(const struct lg_ctl_line *l)
{
	int i;

	printf("counters:");
	for (i = 0; i < l->n; i++)
		printf("%s%s %s", i % 4 ? "  " : "\n\t", l->key[i], l->val[i]);
	printf("\n");
}

static int release_show(int argc, char **argv)
{
	const char *path = LGD_CONTROL_DEFAULT;
	bool in_request = false, has_path = false, in_requests = true;
	struct lg_ctl_line l;
	char line[4096];
	int ret = 0;
	FILE *f;

	while (argc > 0) {
		if (!strcmp(argv[0], "socket")) {
			if (has_path)
				return lg_usage_err("duplicate \"socket\"");
			if (argc < 2)
				return lg_usage_err("\"socket\" needs a path");
			path = argv[1];
			has_path = true;
			argc -= 2;
			argv += 2;
		} else {
			return lg_usage_err("unknown argument \"%s\" (try \"lgctl release help\")",
					    argv[0]);
		}
	}
	f = lg_ctl_ask(path, "releases");
	if (!f)
		return 1;

	new_json_obj(lg_json, lg_pretty);
	open_json_object(NULL);
	open_json_array("requests");
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		lg_ctl_split(line, &l);
		if (!l.kind)
			continue;
		if (!strcmp(l.kind, "request")) {
			if (in_request) {
				close_json_array();
				close_json_object();
			}
			open_json_object(NULL);
			lg_ctl_json_fields(&l, lg_rel_strings, NULL);
			open_json_array("bindings");
			in_request = true;
			if (!lg_json)
				lg_rel_print_request(&l);
		} else if (!strcmp(l.kind, "binding") && in_request) {
			open_json_object(NULL);
			lg_ctl_json_fields(&l, lg_rel_strings, NULL);
			close_json_object();
			if (!lg_json)
				lg_rel_print_binding(&l);
		} else if (!strcmp(l.kind, "stats")) {
			if (in_request) {
				close_json_array();
				close_json_object();
				in_request = false;
			}
			if (in_requests)
				close_json_array();
			in_requests = false;
			open_json_object("stats");
			lg_ctl_json_fields(&l, lg_rel_strings, NULL);
			close_json_object();
			if (!lg_json)
				lg_rel_print_stats(&l);
		} else if (!strcmp(l.kind, "error")) {
			fprintf(stderr, "lgctl: leaseguardd says: %s\n",
				line + strlen("error") + 1);
			ret = 1;
		}
	}
	fclose(f);
	if (in_request) {
		close_json_array();
		close_json_object();
	}
	if (in_requests)
		close_json_array();
	close_json_object();
	delete_json_obj();
	return ret;
}

static const struct lg_cmd_entry lg_release_cmds[] = {
	{ "show",	release_show,	NULL },
	{}
};

int do_release(int argc, char **argv)
{
	if (argc > 0 && !strcmp(argv[0], "socket"))
		return release_show(argc, argv);
	return lg_dispatch("lgctl release", lg_release_cmds, lg_release_help,
			   argc, argv);
}

/* ---- lgctl binding release: waiting for the outcomes ------------------ */

/* One binding lgctl marked (or found releasing), and what became of it. */
struct lg_rel_item {
	struct lg_binding b;
	char *answer;			/* leaseguardd's last line about it */
	bool done;			/* the release ended */
	bool printed;
};

struct lg_rel_set {
	const struct lg_binding_sel *sel;
	struct lg_rel_item *v;
	size_t n, cap;
	bool lost;			/* notifications overran */
};

static uint64_t lg_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool lg_prefix_eq(const uint8_t *a, const uint8_t *b, unsigned int plen)
{
	unsigned int bytes = plen / 8, bits = plen % 8;

	if (plen > 128 || memcmp(a, b, bytes))
		return false;
	return !bits || !((a[bytes] ^ b[bytes]) & (0xff00 >> bits));
}

/* What the kernel matched (kmod/binding.c, lg_binding_match()). */
static bool lg_sel_match(const struct lg_binding_sel *sel,
			 const struct lg_binding *b)
{
	size_t i;

	if (sel->all)
		return true;
	if (sel->has_id && b->id != sel->id)
		return false;
	if (sel->ifindex && b->ifindex != sel->ifindex)
		return false;
	if (sel->duid_len && (b->client_duid_len != sel->duid_len ||
			      memcmp(b->client_duid, sel->duid, sel->duid_len)))
		return false;
	if (!sel->has_addr)
		return true;
	for (i = 0; i < b->n_leases; i++)
		if (lg_prefix_eq(b->leases[i].addr, sel->addr,
				 b->leases[i].has_plen ? b->leases[i].plen : 128))
			return true;
	return false;
}

static int lg_rel_id_cmp(const void *a, const void *b)
{
	const struct lg_rel_item *x = a, *y = b;

	return (x->b.id > y->b.id) - (x->b.id < y->b.id);
}

/* In s, sorted (lg_rel_sort()). */
static struct lg_rel_item *lg_rel_find(struct lg_rel_set *s, uint64_t id)
{
	struct lg_rel_item key = { .b.id = id };

	return s->n ? bsearch(&key, s->v, s->n, sizeof(*s->v),
			      lg_rel_id_cmp) : NULL;
}

/* Takes b: appended (lg_rel_sort() drops a second copy of an ID). */
static int lg_rel_add(struct lg_rel_set *s, struct lg_binding *b)
{
	if (lg_grow(&s->v, &s->cap, s->n, sizeof(*s->v))) {
		lg_binding_free(b);
		return -ENOMEM;
	}
	memset(&s->v[s->n], 0, sizeof(s->v[s->n]));
	s->v[s->n++].b = *b;
	return 0;
}

/* By ID, each once (an event and the dump may both have one). */
static void lg_rel_sort(struct lg_rel_set *s)
{
	size_t i, n = 0;

	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), lg_rel_id_cmp);
	for (i = 0; i < s->n; i++) {
		if (n && s->v[n - 1].b.id == s->v[i].b.id)
			lg_binding_free(&s->v[i].b);
		else
			s->v[n++] = s->v[i];
	}
	s->n = n;
}

/* A binding from an event or the dump: ours if releasing and matched. */
static int lg_rel_take(struct lg_rel_set *s, const struct nlattr *nest,
		       bool admin_only)
{
	struct lg_binding b;
	int err = lg_binding_parse(nest, &b);

	if (err)
		return err;
	if (b.has_state && b.state == LG_BINDING_RELEASING &&
	    (!admin_only || (b.has_release_reason &&
			     b.release_reason == LG_RELEASE_ADMIN)) &&
	    lg_sel_match(s->sel, &b))
		return lg_rel_add(s, &b);
	lg_binding_free(&b);
	return 0;
}

/* The notifications of our LG_CMD_BINDING_RELEASE: the bindings it marked. */
static int lg_rel_event_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[LG_A_MAX + 1];
	int err;

	if (lg_nl_cmd(nlh) != LG_CMD_BINDING_UPD_NTF)
		return 0;
	err = lg_nl_parse_msg(nlh, tb, LG_A_MAX);
	if (err || !tb[LG_A_BINDING])
		return err ? err : -EBADMSG;
	return lg_rel_take(data, tb[LG_A_BINDING], true);
}

/* The dump: matched bindings releasing already (their outcome too). */
static int lg_rel_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *obj;
	int err;

	err = lg_nl_reply_obj(nlh, LG_CMD_BINDING_GET, LG_A_BINDING, &obj);
	if (err)
		return err < 0 ? err : 0;
	return lg_rel_take(data, obj, false);
}

/*
 * Asks leaseguardd about the bindings not done yet, up to 2000 a
 * connection. Returns 0, or the -errno of the socket.
 */
static int lg_rel_ask(const char *path, uint64_t since, struct lg_rel_set *s)
{
	size_t i = 0, k, len, cap = 64 + 2000 * 21;
	char *cmd = malloc(cap), line[1024], copy[1024];
	struct lg_ctl_line l;
	int err = 0;
	FILE *f;

	if (!cmd)
		return -ENOMEM;
	while (i < s->n && !err) {
		len = snprintf(cmd, cap, "outcome since=%llu",
			       (unsigned long long)since);
		for (k = 0; i < s->n && k < 2000; i++) {
			if (s->v[i].done)
				continue;
			len += snprintf(cmd + len, cap - len, " %llu",
					(unsigned long long)s->v[i].b.id);
			k++;
		}
		if (!k)
			break;
		f = lg_ctl_open(path, cmd, &err);
		if (!f)
			break;
		while (fgets(line, sizeof(line), f)) {
			struct lg_rel_item *it;
			const char *out;

			line[strcspn(line, "\n")] = '\0';
			snprintf(copy, sizeof(copy), "%s", line);
			lg_ctl_split(copy, &l);
			if (!l.kind || strcmp(l.kind, "binding"))
				continue;
			it = lg_rel_find(s, strtoull(lg_ctl_get(&l, "id"),
						     NULL, 10));
			if (!it || it->done)
				continue;
			free(it->answer);
			it->answer = strdup(line);
			out = lg_ctl_get(&l, "outcome");
			/* "unknown": perhaps not read yet; ask again */
			it->done = it->answer && strcmp(out, "pending") &&
				   strcmp(out, "unknown");
		}
		fclose(f);
	}
	free(cmd);
	return err;
}

/* "released", "refused"...; "pending" with no answer yet. */
static const char *lg_rel_outcome(const struct lg_rel_item *it,
				  struct lg_ctl_line *l, char *buf, size_t len)
{
	snprintf(buf, len, "%s", it->answer ? it->answer : "binding");
	lg_ctl_split(buf, l);
	return it->answer ? lg_ctl_get(l, "outcome") : "pending";
}

/* Success, and only Success, is a release done as asked. */
static bool lg_rel_ok(const struct lg_rel_item *it)
{
	struct lg_ctl_line l;
	char buf[1024];

	return it->done &&
	       !strcmp(lg_rel_outcome(it, &l, buf, sizeof(buf)), "released") &&
	       !strcmp(lg_ctl_get(&l, "code"), "0");
}

static const char *lg_ia_name(const struct lg_binding *b)
{
	return !b->has_ia_type ? "ia" : b->ia_type == LG_IA_PD ? "ia_pd" :
	       "ia_na";
}

static void lg_rel_print_text(const struct lg_rel_item *it, uint32_t waited)
{
	const struct lg_binding *b = &it->b;
	unsigned long long ms;
	struct lg_ctl_line l;
	const char *out;
	char buf[1024];

	out = lg_rel_outcome(it, &l, buf, sizeof(buf));
	printf("binding %llu %s %s iaid %u: ", (unsigned long long)b->id,
	       b->ifname[0] ? b->ifname : "-", lg_ia_name(b), b->iaid);
	ms = strtoull(lg_ctl_get(&l, "ms"), NULL, 10);
	if (!strcmp(out, "released"))
		printf("released (%s)\n", lg_ctl_get(&l, "status"));
	else if (!strcmp(out, "refused"))
		printf("refused (%s, status %s), stays bound\n",
		       lg_ctl_get(&l, "status"), lg_ctl_get(&l, "code"));
	else if (!strcmp(out, "timed-out"))
		printf("timed out (no reply to %s transmissions in %llu.%llu s), %s\n",
		       lg_ctl_get(&l, "attempts"), ms / 1000, ms % 1000 / 100,
		       strcmp(lg_ctl_get(&l, "cleared"), "1") ? "stays bound" :
		       "deleted here (release-clear-on-timeout)");
	else if (!strcmp(out, "not-sent") &&
		 !strcmp(lg_ctl_get(&l, "why"), "not-enabled"))
		printf("not sent (release %s is not enabled on %s), stays bound\n",
		       lg_ctl_get(&l, "trigger"), lg_ctl_get(&l, "dev"));
	else if (!strcmp(out, "not-sent") &&
		 !strcmp(lg_ctl_get(&l, "why"), "no-server"))
		printf("not sent (no server known), stays bound\n");
	else if (!strcmp(out, "not-sent"))
		printf("not sent (%s), stays bound\n", lg_ctl_get(&l, "why"));
	else if (!strcmp(out, "cancelled"))
		printf("cancelled (bound again before the server answered)\n");
	else if (!strcmp(out, "deleted"))
		printf("deleted (before the server answered)\n");
	else if (!strcmp(out, "unknown"))
		printf("unknown to leaseguardd after %u s\n", waited);
	else if (!strcmp(lg_ctl_get(&l, "stage"), "sent"))
		printf("no outcome after %u s (attempt %s of %s sent)\n",
		       waited, lg_ctl_get(&l, "attempt"),
		       lg_ctl_get(&l, "max"));
	else
		printf("no outcome after %u s (not sent yet)\n", waited);
}

static const char *const lg_rel_json_strings[] = {
	"outcome", "status", "xid", "server", "why", "trigger", "dev",
	"stage", NULL
};
static const char *const lg_rel_json_bools[] = { "cleared", NULL };

static void lg_rel_print_json(const struct lg_rel_item *it)
{
	const struct lg_binding *b = &it->b;
	struct lg_ctl_line l, j;
	char buf[1024];
	int i, k;

	lg_rel_outcome(it, &l, buf, sizeof(buf));
	open_json_object(NULL);
	print_u64(PRINT_JSON, "id", NULL, b->id);
	if (b->ifname[0])
		print_string(PRINT_JSON, "ifname", NULL, b->ifname);
	print_string(PRINT_JSON, "ia_type", NULL, lg_ia_name(b));
	print_uint(PRINT_JSON, "iaid", NULL, b->iaid);
	if (!it->answer)
		print_string(PRINT_JSON, "outcome", NULL, "pending");
	/* the ID is there already; "code" is the status's: status_code */
	for (i = 0, k = 0; i < l.n; i++) {
		if (!strcmp(l.key[i], "id"))
			continue;
		j.key[k] = strcmp(l.key[i], "code") ? l.key[i] : "status_code";
		j.val[k++] = l.val[i];
	}
	j.n = k;
	lg_ctl_json_fields(&j, lg_rel_json_strings, lg_rel_json_bools);
	close_json_object();
}

static void lg_rel_free(struct lg_rel_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		lg_binding_free(&s->v[i].b);
		free(s->v[i].answer);
	}
	free(s->v);
}

/*
 * Whether leaseguardd answers at path and knows "outcome": 0; 1 if it
 * does not answer (*err says why); 2 if it is too old to report outcomes.
 */
static int lg_rel_probe(const char *path, int *err)
{
	char line[256];
	int ret = 0;
	FILE *f;

	f = lg_ctl_open(path, "outcome", err);
	if (!f)
		return 1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "error", 5))
			ret = 2;
	fclose(f);
	return ret;
}

int lg_release_wait(struct lg_nl *nl, const struct lg_binding_sel *sel,
		    const struct lg_release_opts *o)
{
	const char *path = o->socket ? o->socket : LGD_CONTROL_DEFAULT;
	uint32_t timeout = o->timeout ? o->timeout : LG_RELEASE_TIMEOUT_DEFAULT;
	struct lg_rel_set s = { .sel = sel };
	int ret, err, probe, perr = 0, rcvbuf = 4 << 20;
	uint64_t t0, deadline, now;
	bool intr, all_ok = true;
	struct lg_nl ev;
	size_t i, left;

	if (o->mode == LG_RELEASE_NOWAIT) {
		err = lg_binding_release(nl, sel);
		return err ? lg_fail(nl, err) : LG_EXIT_OK;
	}
	/* before the bindings are marked: outcomes from now on count */
	t0 = lg_mono_ms();
	probe = lg_rel_probe(path, &perr);
	if (probe) {
		err = lg_binding_release(nl, sel);
		if (err)
			return lg_fail(nl, err);
		if (probe == 2)
			fprintf(stderr, "lgctl: the bindings are marked releasing; leaseguardd at %s does not report outcomes (it is older than lgctl), so lgctl does not wait\n",
				path);
		else
			fprintf(stderr, "lgctl: the bindings are marked releasing, but nobody will send their RELEASE-REQUEST: leaseguardd is not running at %s (%s)\n",
				path, strerror(-perr));
		return o->mode == LG_RELEASE_WAIT ? LG_EXIT_FAIL : LG_EXIT_OK;
	}

	/* The kernel notifies before it ACKs: the IDs are queued by then. */
	err = lg_nl_open(&ev);
	if (!err)
		err = lg_nl_join(&ev, "bindings");
	if (err) {
		ret = lg_fail(&ev, err);
		lg_nl_close(&ev);
		return ret;
	}
	if (setsockopt(lg_nl_fd(&ev), SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)))
		setsockopt(lg_nl_fd(&ev), SOL_SOCKET, SO_RCVBUF, &rcvbuf,
			   sizeof(rcvbuf));
	fcntl(lg_nl_fd(&ev), F_SETFL,
	      fcntl(lg_nl_fd(&ev), F_GETFL) | O_NONBLOCK);
	err = lg_binding_release(nl, sel);
	if (err) {
		lg_nl_close(&ev);
		return lg_fail(nl, err);
	}
	do {
		err = lg_nl_read_events(&ev, lg_rel_event_cb, &s);
		if (err == -ENOBUFS)
			s.lost = true;
	} while (!err || err == -ENOBUFS || err == -EINTR);
	lg_nl_close(&ev);
	if (err != -EAGAIN) {
		ret = lg_fail(NULL, err);
		goto out;
	}
	/* Those that were releasing already have an outcome to wait for too. */
	if (sel->has_id) {
		struct lg_binding b;

		err = lg_binding_get(nl, sel, &b);
		if (!err && b.has_state && b.state == LG_BINDING_RELEASING)
			lg_rel_add(&s, &b);
		else if (!err)
			lg_binding_free(&b);
		if (err == -ENOENT)	/* done and deleted already */
			err = 0;
	} else {
		err = lg_nl_dump_once(nl, lg_binding_dump_msg(nl, sel),
				      lg_rel_dump_cb, &s, &intr);
	}
	if (err) {
		ret = lg_fail(nl, err);
		goto out;
	}
	if (s.lost)
		fprintf(stderr, "lgctl: notifications were lost: bindings whose release ended at once are not listed\n");
	lg_rel_sort(&s);

	deadline = t0 + (uint64_t)timeout * 1000;
	for (left = s.n; left;) {
		/* the daemon sends at the end of its round: give it a moment */
		poll(NULL, 0, 100);
		err = lg_rel_ask(path, t0, &s);
		if (err) {
			fflush(stdout);
			fprintf(stderr, "lgctl: leaseguardd at %s: %s; the outcomes are unknown\n",
				path, strerror(-err));
			break;
		}
		for (left = 0, i = 0; i < s.n; i++) {
			if (!s.v[i].done)
				left++;
			else if (!lg_json && !s.v[i].printed)
				lg_rel_print_text(&s.v[i], 0);
			s.v[i].printed |= s.v[i].done;
		}
		fflush(stdout);
		now = lg_mono_ms();
		if (now >= deadline)
			break;
	}
	open_json_array(NULL);
	for (i = 0; i < s.n; i++) {
		all_ok &= lg_rel_ok(&s.v[i]);
		if (lg_json)
			lg_rel_print_json(&s.v[i]);
		else if (!s.v[i].printed)
			lg_rel_print_text(&s.v[i],
					  (lg_mono_ms() - t0 + 500) / 1000);
	}
	close_json_array();
	ret = all_ok ? LG_EXIT_OK : LG_EXIT_FAIL;
out:
	lg_rel_free(&s);
	return ret;
}
