// SPDX-License-Identifier: GPL-2.0
/*
 * The connection to the failover partner: sockets, the TLS channel, the
 * one-connection rule and the reconnect backoff around one partner
 * session (partner.h says what; partner_session.c is the protocol).
 *
 * Each connection is a small state machine: CONNECTING (our TCP connect
 * under way), HANDSHAKE (TLS), READY (handshake done, not carrying the
 * session: the only one waits for nothing, a second one waits for the
 * rule to choose) and SESSION. Every entry point (the descriptor, a timer,
 * a local change) ends in lgd_partner_settle(), which applies the rule,
 * gives the session a connection if it has none, and schedules the next
 * attempt when nothing is left.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "lgd.h"
#include "partner.h"

#define LGD_PARTNER_CONNS	4	/* at once: ours, and the partner's */
/* Two whole messages: the session takes every whole one it is given. */
#define LGD_PARTNER_RBUF	(2 * (LG_SYNC_HDR_LEN + LG_SYNC_MSG_MAX))
#define LGD_PARTNER_REFUSE_LOG_MS	10000
/* Failed handshakes by class: key, identity, not TLS, other. */
#define LGD_PARTNER_HS_CLASSES		4

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

enum pc_state {
	PC_FREE,
	PC_CONNECTING,
	PC_HANDSHAKE,
	PC_READY,
	PC_SESSION,
};

struct pconn {
	struct lgd_timer deadline;	/* CONNECTING..READY: dead_ms */
	struct lgd_partner *p;
	enum pc_state st;
	int fd;
	bool outgoing;			/* we initiated it */
	bool hello_seen;		/* READY: the partner's HELLO read */
	uint8_t peer_id[LG_SYNC_NODE_ID_LEN];
	uint32_t events;		/* registered in the epoll set */
	unsigned int send_wants, recv_wants; /* lgd_tls_wants() at -EAGAIN */
	struct lgd_tls *tls;
	char name[64];			/* "[addr]:port" */
	size_t rlen;
	uint8_t *rbuf;
};

struct lgd_partner {
	struct lgd_partner_conf conf;
	struct lgd_ps_ops ops;
	void *priv;
	struct lgd_ps *s;
	struct lgd_tls_ctx *cli, *srv;
	int efd, lfd;
	struct sockaddr_storage peer_sa, src_sa;
	socklen_t peer_len, src_len;	/* src_len 0: the kernel chooses */
	uint8_t peer_a6[16];		/* the partner's, IPv4 as mapped */
	uint16_t lport;
	struct pconn conns[LGD_PARTNER_CONNS];
	struct pconn *sess;		/* the session's connection */
	struct lgd_timer tick, retry;
	uint32_t backoff;
	int last_fail;			/* our last attempt's failure, logged
					   once in a row; 0 after a success */
	uint64_t refuse_log_at, refused_quiet;
	/*
	 * Failed handshakes, logged here rather than by partner_tls: the
	 * repetition is this file's (its backoff, and the partner's own
	 * attempts on our listening socket), the partner is one peer behind
	 * two contexts (client and server), and the port it connects from
	 * changes at each attempt; partner_tls, quiet here, stays one line a
	 * failure for a caller alone. Per class, so that a new reason is
	 * said at once.
	 */
	struct {
		uint64_t next_ms;	/* not logged again before; 0: never */
		uint64_t quiet;		/* not logged since at */
		time_t at;		/* the last line, wall clock */
	} hs_log[LGD_PARTNER_HS_CLASSES];
	uint64_t hs_fails;		/* since the last good handshake */
	struct lgd_partner_stats st;
};

static void lgd_partner_settle(struct lgd_partner *p);

/*
 * The session's next deadline may have come closer (an ACK owed, a
 * change queued): its tick runs from the loop's next turn, which asks it.
 */
static void lgd_partner_tick_soon(struct lgd_partner *p)
{
	uint64_t now = lgd_now_ms();

	if (!p->tick.slot || p->tick.when > now)
		lgd_timer_arm(&p->tick, now);
}

static void pc_log_name(char *buf, size_t len, const struct sockaddr *sa)
{
	char a[INET6_ADDRSTRLEN] = "?";

	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)sa;

		inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a));
		snprintf(buf, len, "[%s]:%u", a, ntohs(s6->sin6_port));
	} else {
		const struct sockaddr_in *s4 = (const void *)sa;

		inet_ntop(AF_INET, &s4->sin_addr, a, sizeof(a));
		snprintf(buf, len, "%s:%u", a, ntohs(s4->sin_port));
	}
}

/* An address as 16 octets, IPv4 as ::ffff:a.b.c.d. */
static void sa_a6(const struct sockaddr *sa, uint8_t a6[16])
{
	if (sa->sa_family == AF_INET6) {
		memcpy(a6, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
		return;
	}
	memset(a6, 0, 10);
	a6[10] = a6[11] = 0xff;
	memcpy(a6 + 12, &((const struct sockaddr_in *)sa)->sin_addr, 4);
}

/* A numeric address and a port: 0, or -EINVAL. "" is the wildcard. */
static int sa_parse(const char *addr, uint16_t port,
		    struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in6 *s6 = (void *)ss;
	struct sockaddr_in *s4 = (void *)ss;

	memset(ss, 0, sizeof(*ss));
	if (!*addr || inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		*len = sizeof(*s6);
		return 0;
	}
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		*len = sizeof(*s4);
		return 0;
	}
	return -EINVAL;
}

static bool sa_is_any(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6)
		return IN6_IS_ADDR_UNSPECIFIED(
			&((const struct sockaddr_in6 *)ss)->sin6_addr);
	return ((const struct sockaddr_in *)ss)->sin_addr.s_addr ==
	       htonl(INADDR_ANY);
}

/* ---- Connections ------------------------------------------------------- */

static void pc_events(struct pconn *c, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = c };

	if (events == c->events)
		return;
	if (epoll_ctl(c->p->efd, EPOLL_CTL_MOD, c->fd, &ev))
		lgd_err("partner %s: epoll: %s", c->name, strerror(errno));
	c->events = events;
}

static uint32_t tls_events(unsigned int wants)
{
	return (wants & LGD_TLS_WANT_WRITE ? EPOLLOUT : 0) |
	       (wants & LGD_TLS_WANT_READ ? EPOLLIN : 0);
}

static void pc_deadline_fire(struct lgd_timer *t);

static struct pconn *pc_new(struct lgd_partner *p, int fd, bool outgoing,
			    const struct sockaddr *sa)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct pconn *c = NULL;
	int i;

	for (i = 0; i < LGD_PARTNER_CONNS && !c; i++)
		if (p->conns[i].st == PC_FREE)
			c = &p->conns[i];
	if (!c)
		return NULL;
	if (!c->rbuf) {
		c->rbuf = malloc(LGD_PARTNER_RBUF);
		if (!c->rbuf)
			return NULL;
	}
	ev.data.ptr = c;
	if (epoll_ctl(p->efd, EPOLL_CTL_ADD, fd, &ev)) {
		lgd_err("partner: epoll: %s", strerror(errno));
		return NULL;
	}
	c->p = p;
	c->fd = fd;
	c->outgoing = outgoing;
	c->hello_seen = false;
	c->events = EPOLLIN;
	c->send_wants = c->recv_wants = 0;
	c->tls = NULL;
	c->rlen = 0;
	c->deadline.fire = pc_deadline_fire;
	pc_log_name(c->name, sizeof(c->name), sa);
	lgd_timer_arm(&c->deadline, lgd_now_ms() + p->conf.dead_ms);
	return c;
}

static void pc_close(struct pconn *c, const char *why)
{
	struct lgd_partner *p = c->p;

	if (c->st == PC_FREE)
		return;
	if (c == p->sess) {
		lgd_ps_disconnected(p->s);
		p->sess = NULL;
		/* Not one the rule closed before the partner used it. */
		if (p->st.state >= LGD_PARTNER_BULK)
			p->st.lost++;
		lgd_notice("partner %s: connection closed: %s", c->name, why);
	} else {
		lgd_debug("partner %s: closed: %s", c->name, why);
	}
	lgd_timer_stop(&c->deadline);
	if (c->tls)
		lgd_tls_free(c->tls);
	c->tls = NULL;
	epoll_ctl(p->efd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	c->st = PC_FREE;
}

/*
 * Closed by us, the channel sound: close_notify first (if the socket
 * takes it now), so that the partner logs an orderly end.
 */
static void pc_bye(struct pconn *c, const char *why)
{
	if (c->tls && c->st >= PC_READY)
		lgd_tls_shutdown(c->tls);
	pc_close(c, why);
}

/* A failure of an attempt of ours: logged once per class in a row. */
static void pc_fail(struct lgd_partner *p, int class, const char *fmt,
		    const char *name, const char *what)
{
	if (class == p->last_fail)
		return;
	p->last_fail = class;
	lgd_log(LOG_WARNING, fmt, name, what);
}

/* A failed handshake (err, why): counted, and logged as partner.h says. */
static void pc_hs_fail(struct pconn *c, int err, const char *why)
{
	struct lgd_partner *p = c->p;
	uint64_t now = lgd_now_ms(), *count;
	char since[16] = "?";
	struct tm tm;
	int i;

	if (err == -EKEYREJECTED) {
		i = 0;
		count = &p->st.hs_key;
	} else if (err == -ENOKEY) {
		i = 1;
		count = &p->st.hs_identity;
	} else if (err == -EPROTO) {
		i = 2;
		count = &p->st.hs_not_tls;
	} else {
		i = 3;
		count = &p->st.hs_other;
	}
	(*count)++;
	p->hs_fails++;
	if (p->hs_log[i].next_ms && now < p->hs_log[i].next_ms) {
		p->hs_log[i].quiet++;
		return;
	}
	if (!p->hs_log[i].quiet) {
		lgd_log(lgd_tls_fail_level(err),
			"partner %s: TLS handshake failed: %s", c->name, why);
	} else {
		if (localtime_r(&p->hs_log[i].at, &tm))
			strftime(since, sizeof(since), "%H:%M:%S", &tm);
		lgd_log(lgd_tls_fail_level(err),
			"partner %s: TLS handshake failed: %s (%llu more since %s)",
			c->name, why, (unsigned long long)p->hs_log[i].quiet,
			since);
	}
	p->hs_log[i].at = time(NULL);
	p->hs_log[i].next_ms = now + p->conf.hs_log_ms;
	p->hs_log[i].quiet = 0;
}

static void pc_deadline_fire(struct lgd_timer *t)
{
	struct pconn *c = container_of(t, struct pconn, deadline);
	struct lgd_partner *p = c->p;

	switch (c->st) {
	case PC_CONNECTING:
		p->st.connects_failed++;
		pc_fail(p, ETIMEDOUT, "partner %s: connect: %s", c->name,
			"no answer within the dead interval");
		break;
	case PC_HANDSHAKE:
		pc_hs_fail(c, -ETIMEDOUT,
			   "no TLS handshake within the dead interval");
		if (c->outgoing)
			p->last_fail = -ETIMEDOUT;
		break;
	default:
		break;
	}
	pc_close(c, "timed out");
	lgd_partner_settle(p);
}

/* Writes what the session holds, as far as the socket takes it. */
static int pc_flush(struct pconn *c)
{
	struct lgd_partner *p = c->p;
	const uint8_t *out;
	size_t len;
	ssize_t n;

	c->send_wants = 0;
	for (;;) {
		out = lgd_ps_out(p->s, &len);
		if (!len)
			break;
		n = lgd_tls_send(c->tls, out, len);
		if (n == -EAGAIN) {
			c->send_wants = lgd_tls_wants(c->tls);
			break;
		}
		if (n < 0) {
			pc_close(c, lgd_tls_why(c->tls));
			return -1;
		}
		lgd_ps_out_consume(p->s, n);
		p->st.bytes_out += n;
	}
	pc_events(c, EPOLLIN | tls_events(c->send_wants | c->recv_wants));
	return 0;
}

/* The partner's HELLO, the first message of a READY connection. */
static int pc_peek_hello(struct pconn *c)
{
	struct lg_sync_msg *m;
	ssize_t n;
	int err;

	n = lg_sync_frame_len(c->rbuf, c->rlen);
	if (n == -EAGAIN)
		return 0;
	if (n < 0)
		return -EBADMSG;
	m = malloc(sizeof(*m));
	if (!m)
		return -ENOMEM;
	err = lg_sync_parse(c->rbuf, n, m, NULL);
	if (!err && m->hdr.type != LG_SYNC_MSG_HELLO)
		err = -EBADMSG;
	if (!err) {
		memcpy(c->peer_id, m->hello.node_id, sizeof(c->peer_id));
		c->hello_seen = true;
	}
	free(m);
	return err;
}

/*
 * Reads what the channel holds: into the session, or (READY) kept for it
 * until the rule chooses. Until -EAGAIN, since OpenSSL may hold records
 * epoll cannot see. -1: c was closed.
 */
static int pc_read(struct pconn *c)
{
	struct lgd_partner *p = c->p;
	size_t out_len;
	ssize_t n;

	for (;;) {
		if (c->rlen == LGD_PARTNER_RBUF) {
			if (c->st == PC_READY) {
				/* Full: the partner waits for the rule too. */
				pc_events(c, 0);
				return 0;
			}
			pc_bye(c, "a message over the most");
			return -1;
		}
		n = lgd_tls_recv(c->tls, c->rbuf + c->rlen,
				 LGD_PARTNER_RBUF - c->rlen);
		if (n == -EAGAIN) {
			c->recv_wants = lgd_tls_wants(c->tls);
			break;
		}
		if (n == 0) {
			pc_close(c, "closed by the partner");
			return -1;
		}
		if (n < 0) {
			pc_close(c, lgd_tls_why(c->tls));
			return -1;
		}
		p->st.bytes_in += n;
		c->rlen += n;
		if (c->st == PC_READY) {
			if (!c->hello_seen && pc_peek_hello(c)) {
				pc_bye(c, "its first message is not a HELLO");
				return -1;
			}
			continue;
		}
		n = lgd_ps_input(p->s, lgd_now_ms(), c->rbuf, c->rlen);
		if (n < 0) {
			pc_bye(c, "malformed input");
			return -1;
		}
		memmove(c->rbuf, c->rbuf + n, c->rlen - n);
		c->rlen -= n;
		if (lgd_ps_state(p->s) == LGD_PS_DOWN) {
			pc_bye(c, "the session ended");
			return -1;
		}
		lgd_partner_tick_soon(p);
		/*
		 * What the session wrote (an ACK each ack_batch messages)
		 * goes now, not after the loop: reading a window of updates,
		 * each made a kernel binding, can take longer than the
		 * partner's dead interval, which our ACKs keep from passing.
		 */
		lgd_ps_out(p->s, &out_len);
		if (out_len && pc_flush(c))
			return -1;
	}
	if (c->st == PC_SESSION)
		return pc_flush(c);
	pc_events(c, EPOLLIN | tls_events(c->recv_wants));
	return 0;
}

static void pc_handshake(struct pconn *c)
{
	struct lgd_partner *p = c->p;
	int err = lgd_tls_handshake(c->tls);

	if (err == -EAGAIN) {
		pc_events(c, tls_events(lgd_tls_wants(c->tls)));
		return;
	}
	if (err) {
		pc_hs_fail(c, err, lgd_tls_why(c->tls));
		if (c->outgoing)
			p->last_fail = err;
		pc_close(c, lgd_tls_why(c->tls));
		return;
	}
	if (c->outgoing)
		p->st.connected++;
	else
		p->st.accepted++;
	p->backoff = LGD_PARTNER_BACKOFF_MIN;
	p->last_fail = 0;
	if (p->hs_fails)
		lgd_notice("partner %s: TLS handshake succeeded after %llu failure%s",
			   c->name, (unsigned long long)p->hs_fails,
			   p->hs_fails == 1 ? "" : "s");
	p->hs_fails = 0;
	memset(p->hs_log, 0, sizeof(p->hs_log));
	c->st = PC_READY;
	lgd_info("partner %s: TLS up (%s, %s)", c->name,
		 c->outgoing ? "we connected" : "it connected",
		 lgd_tls_group(c->tls));
	/* Records that came with the handshake wait in OpenSSL. */
	pc_read(c);
}

static void pc_connected(struct pconn *c)
{
	struct lgd_partner *p = c->p;
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) || err) {
		p->st.connects_failed++;
		pc_fail(p, err, "partner %s: connect: %s", c->name,
			strerror(err ? err : errno));
		pc_close(c, strerror(err));
		return;
	}
	c->tls = lgd_tls_new(p->cli, c->fd, c->name);
	if (!c->tls) {
		pc_close(c, "out of memory");
		return;
	}
	c->st = PC_HANDSHAKE;
	pc_handshake(c);
}

/* ---- The session's connection, and the rule ---------------------------- */

static void pc_attach(struct pconn *c)
{
	struct lgd_partner *p = c->p;
	ssize_t n;

	lgd_timer_stop(&c->deadline);
	c->st = PC_SESSION;
	p->sess = c;
	lgd_notice("partner %s: connected (%s)", c->name,
		   c->outgoing ? "we connected" : "it connected");
	lgd_ps_connected(p->s, lgd_now_ms());
	if (c->rlen) {
		n = lgd_ps_input(p->s, lgd_now_ms(), c->rbuf, c->rlen);
		if (n < 0) {
			pc_bye(c, "malformed input");
			return;
		}
		memmove(c->rbuf, c->rbuf + n, c->rlen - n);
		c->rlen -= n;
		if (lgd_ps_state(p->s) == LGD_PS_DOWN) {
			pc_bye(c, "the session ended");
			return;
		}
	}
	if (pc_read(c))
		return;
	lgd_partner_tick_soon(p);
}

/*
 * A second connection, READY while the session has one: which stays
 * (partner.h). NULL: not known yet (the partner's node id is not).
 */
static struct pconn *pc_winner(struct lgd_partner *p, struct pconn *c)
{
	struct pconn *s = p->sess;
	const uint8_t *peer = NULL;
	bool ours_smaller;

	if (!c->outgoing && !s->outgoing)
		return c;
	if (c->hello_seen)
		peer = c->peer_id;
	else if (lgd_ps_state(p->s) > LGD_PS_HELLO && lgd_ps_peer(p->s))
		peer = lgd_ps_peer(p->s)->node_id;
	if (!peer)
		return NULL;
	ours_smaller = memcmp(p->conf.node_id, peer,
			      LG_SYNC_NODE_ID_LEN) < 0;
	return ours_smaller == c->outgoing ? c : s;
}

static void lgd_partner_state_set(struct lgd_partner *p)
{
	enum lgd_partner_state st = LGD_PARTNER_DOWN;
	int i;

	for (i = 0; i < LGD_PARTNER_CONNS; i++)
		if (p->conns[i].st != PC_FREE)
			st = LGD_PARTNER_CONNECTING;
	if (p->sess) {
		switch (lgd_ps_state(p->s)) {
		case LGD_PS_DOWN:
		case LGD_PS_HELLO:
			st = LGD_PARTNER_HELLO;
			break;
		case LGD_PS_BULK:
			st = LGD_PARTNER_BULK;
			break;
		case LGD_PS_SYNCED:
			st = LGD_PARTNER_SYNCED;
			break;
		}
	}
	if (st != p->st.state) {
		p->st.state = st;
		p->st.since_ms = lgd_now_ms();
	}
}

static void lgd_partner_settle(struct lgd_partner *p)
{
	struct pconn *c, *w;
	bool outgoing = false;
	int i;

	for (i = 0; i < LGD_PARTNER_CONNS; i++) {
		c = &p->conns[i];
		if (c->st != PC_READY)
			continue;
		if (!p->sess) {
			pc_attach(c);
			continue;
		}
		w = pc_winner(p, c);
		if (!w)
			continue;
		p->st.duplicates++;
		if (w == c) {
			pc_bye(p->sess, "the partner's other connection stays");
			pc_attach(c);
		} else {
			pc_bye(c, "a connection to the partner is up");
		}
	}
	for (i = 0; i < LGD_PARTNER_CONNS; i++)
		if (p->conns[i].st != PC_FREE && p->conns[i].outgoing)
			outgoing = true;
	if (p->conf.peer_port && !p->sess && !outgoing && !p->retry.slot) {
		p->st.backoff_ms = p->backoff;
		lgd_timer_arm(&p->retry, lgd_now_ms() + p->backoff);
		p->backoff = p->backoff * 2 > LGD_PARTNER_BACKOFF_MAX ?
			     LGD_PARTNER_BACKOFF_MAX : p->backoff * 2;
	}
	if (p->sess)
		lgd_timer_stop(&p->retry);
	lgd_partner_state_set(p);
}

/* ---- Timers ------------------------------------------------------------ */

static void lgd_partner_tick(struct lgd_timer *t)
{
	struct lgd_partner *p = container_of(t, struct lgd_partner, tick);
	uint64_t next = lgd_ps_tick(p->s, lgd_now_ms());

	if (p->sess) {
		if (lgd_ps_state(p->s) == LGD_PS_DOWN)
			pc_bye(p->sess, "the session ended");
		else
			pc_flush(p->sess);
	}
	lgd_timer_arm(&p->tick, next);
	lgd_partner_settle(p);
}

static void lgd_partner_connect(struct lgd_timer *t)
{
	struct lgd_partner *p = container_of(t, struct lgd_partner, retry);
	struct pconn *c;
	int fd, one = 1, zero = 0;

	p->st.attempts++;
	if (p->st.attempts > 1)
		p->st.reconnects++;
	fd = socket(p->peer_sa.ss_family,
		    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		pc_fail(p, errno, "partner %s: socket: %s", p->conf.peer_addr,
			strerror(errno));
		goto out;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &zero, sizeof(zero));
	if (p->src_len && bind(fd, (struct sockaddr *)&p->src_sa, p->src_len)) {
		pc_fail(p, errno, "partner %s: bind: %s", p->conf.listen_addr,
			strerror(errno));
		close(fd);
		goto out;
	}
	c = pc_new(p, fd, true, (struct sockaddr *)&p->peer_sa);
	if (!c) {
		close(fd);
		goto out;
	}
	c->st = PC_CONNECTING;
	if (!connect(fd, (struct sockaddr *)&p->peer_sa, p->peer_len)) {
		pc_connected(c);
	} else if (errno == EINPROGRESS) {
		pc_events(c, EPOLLOUT);
	} else {
		p->st.connects_failed++;
		pc_fail(p, errno, "partner %s: connect: %s", c->name,
			strerror(errno));
		pc_close(c, "connect failed");
	}
out:
	lgd_partner_settle(p);
}

/* ---- The descriptor ---------------------------------------------------- */

static void lgd_partner_refuse(struct lgd_partner *p, int fd,
			       const struct sockaddr *sa, const char *why)
{
	uint64_t now = lgd_now_ms();
	char name[64];

	close(fd);
	p->st.refused++;
	if (now < p->refuse_log_at) {
		p->refused_quiet++;
		return;
	}
	pc_log_name(name, sizeof(name), sa);
	lgd_warn("partner: refused a connection from %s: %s (%llu more not logged)",
		 name, why, (unsigned long long)p->refused_quiet);
	p->refused_quiet = 0;
	p->refuse_log_at = now + LGD_PARTNER_REFUSE_LOG_MS;
}

static void lgd_partner_accept(struct lgd_partner *p)
{
	struct sockaddr_storage ss;
	socklen_t len;
	struct pconn *c;
	uint8_t a6[16];
	int fd, one = 1;

	for (;;) {
		len = sizeof(ss);
		fd = accept4(p->lfd, (struct sockaddr *)&ss, &len,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED)
				lgd_err("partner: accept: %s", strerror(errno));
			return;
		}
		sa_a6((struct sockaddr *)&ss, a6);
		if (memcmp(a6, p->peer_a6, 16)) {
			lgd_partner_refuse(p, fd, (struct sockaddr *)&ss,
					   "not the partner's address");
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c = pc_new(p, fd, false, (struct sockaddr *)&ss);
		if (!c) {
			lgd_partner_refuse(p, fd, (struct sockaddr *)&ss,
					   "too many connections at once");
			continue;
		}
		c->tls = lgd_tls_new(p->srv, fd, c->name);
		if (!c->tls) {
			pc_close(c, "out of memory");
			continue;
		}
		c->st = PC_HANDSHAKE;
		pc_handshake(c);
	}
}

void lgd_partner_input(struct lgd_partner *p)
{
	struct epoll_event evs[LGD_PARTNER_CONNS + 1];
	struct pconn *c;
	int i, n;

	n = epoll_wait(p->efd, evs, LGD_PARTNER_CONNS + 1, 0);
	for (i = 0; i < n; i++) {
		if (evs[i].data.ptr == p) {
			lgd_partner_accept(p);
			continue;
		}
		c = evs[i].data.ptr;
		switch (c->st) {
		case PC_CONNECTING:
			pc_connected(c);
			break;
		case PC_HANDSHAKE:
			pc_handshake(c);
			break;
		case PC_READY:
			/* Full and waiting for the rule, the socket gone. */
			if (!c->events && evs[i].events & (EPOLLHUP | EPOLLERR))
				pc_close(c, "closed by the partner");
			else
				pc_read(c);
			break;
		case PC_SESSION:
			pc_read(c);	/* and writes */
			break;
		case PC_FREE:	/* closed by an earlier event of this batch */
			break;
		}
	}
	lgd_partner_settle(p);
}

/* ---- The rest ---------------------------------------------------------- */

int lgd_partner_local_update(struct lgd_partner *p, const struct lg_binding *b,
			     uint8_t change, uint64_t time_ms)
{
	int err = lgd_ps_local_update(p->s, b, change, time_ms);

	if (!err && p->sess)
		lgd_partner_tick_soon(p);
	return err;
}

int lgd_partner_local_delete(struct lgd_partner *p,
			     const struct lg_binding *key, uint8_t reason,
			     uint64_t time_ms)
{
	int err = lgd_ps_local_delete(p->s, key, reason, time_ms);

	if (!err && p->sess)
		lgd_partner_tick_soon(p);
	return err;
}

static void lgd_ps_log_default(void *priv, int prio, const char *msg)
{
	(void)priv;
	lgd_log(prio, "%s", msg);
}

static int lgd_partner_listen(struct lgd_partner *p)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = p };
	int one = 1, zero = 0;

	p->lfd = socket(p->src_sa.ss_family,
			SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (p->lfd < 0)
		return -errno;
	setsockopt(p->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (p->src_sa.ss_family == AF_INET6 && sa_is_any(&p->src_sa))
		setsockopt(p->lfd, IPPROTO_IPV6, IPV6_V6ONLY, &zero,
			   sizeof(zero));
	if (p->src_sa.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&p->src_sa)->sin6_port =
			htons(p->conf.listen_port);
	else
		((struct sockaddr_in *)&p->src_sa)->sin_port =
			htons(p->conf.listen_port);
	if (bind(p->lfd, (struct sockaddr *)&p->src_sa,
		 p->src_sa.ss_family == AF_INET6 ?
		 sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in)) ||
	    listen(p->lfd, 8) ||
	    getsockname(p->lfd, (struct sockaddr *)&ss, &len) ||
	    epoll_ctl(p->efd, EPOLL_CTL_ADD, p->lfd, &ev))
		return -errno;
	p->lport = ntohs(ss.ss_family == AF_INET6 ?
			 ((struct sockaddr_in6 *)&ss)->sin6_port :
			 ((struct sockaddr_in *)&ss)->sin_port);
	/* Our connects come from the listen address, port the kernel's. */
	if (p->src_sa.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&p->src_sa)->sin6_port = 0;
	else
		((struct sockaddr_in *)&p->src_sa)->sin_port = 0;
	return 0;
}

struct lgd_partner *lgd_partner_open(const struct lgd_partner_conf *conf,
				     const struct lgd_ps_ops *ops,
				     void *priv)
{
	struct lgd_partner *p = calloc(1, sizeof(*p));
	struct lgd_ps_conf pc = { 0 };
	const char *key, *id;
	int i, err;

	if (!p) {
		lgd_err("partner: out of memory");
		return NULL;
	}
	p->conf = *conf;
	p->ops = *ops;
	if (!p->ops.log)
		p->ops.log = lgd_ps_log_default;
	p->priv = priv;
	p->efd = p->lfd = -1;
	for (i = 0; i < LGD_PARTNER_CONNS; i++)
		p->conns[i].fd = -1;
	if (!p->conf.dead_ms)
		p->conf.dead_ms = LGD_PS_DEAD_MS;
	if (!p->conf.hs_log_ms)
		p->conf.hs_log_ms = LGD_PARTNER_HS_LOG_MS;
	p->backoff = LGD_PARTNER_BACKOFF_MIN;
	p->st.since_ms = lgd_now_ms();	/* down since the start */
	p->tick.fire = lgd_partner_tick;
	p->retry.fire = lgd_partner_connect;
	if (sa_parse(conf->peer_addr, conf->peer_port, &p->peer_sa,
		     &p->peer_len) || !*conf->peer_addr) {
		lgd_err("partner address \"%s\": refused: not a numeric IPv6 or IPv4 address",
			conf->peer_addr);
		goto fail;
	}
	sa_a6((struct sockaddr *)&p->peer_sa, p->peer_a6);
	if (sa_parse(conf->listen_addr, 0, &p->src_sa, &p->src_len)) {
		lgd_err("partner listen address \"%s\": refused: not a numeric IPv6 or IPv4 address",
			conf->listen_addr);
		goto fail;
	}
	if (sa_is_any(&p->src_sa) ||
	    p->src_sa.ss_family != p->peer_sa.ss_family)
		p->src_len = 0;
	key = *conf->key_path ? conf->key_path : LGD_TLS_KEY_DEFAULT;
	id = *conf->identity ? conf->identity : LGD_TLS_IDENTITY_DEFAULT;
	p->cli = lgd_tls_ctx_new(LGD_TLS_CLIENT, id, key);
	p->srv = p->cli ? lgd_tls_ctx_new(LGD_TLS_SERVER, id, key) : NULL;
	if (!p->srv)
		goto fail;
	lgd_tls_ctx_set_quiet(p->cli, true);
	lgd_tls_ctx_set_quiet(p->srv, true);
	memcpy(pc.node_id, conf->node_id, sizeof(pc.node_id));
	pc.instance = conf->instance;
	pc.role = conf->role;
	pc.sw_version = conf->sw_version;
	pc.queue_max = conf->queue_max;
	pc.dead_ms = p->conf.dead_ms;
	p->s = lgd_ps_new(&pc, &p->ops, priv);
	p->efd = epoll_create1(EPOLL_CLOEXEC);
	if (!p->s || p->efd < 0) {
		lgd_err("partner: %s", p->s ? strerror(errno) : "out of memory");
		goto fail;
	}
	if (!conf->listen_port && !conf->peer_port) {
		lgd_err("partner: neither a port to connect to nor one to listen on");
		goto fail;
	}
	if (conf->listen_port) {
		err = lgd_partner_listen(p);
		if (err) {
			lgd_err("partner: listen on %s port %u: %s",
				*conf->listen_addr ? conf->listen_addr : "*",
				conf->listen_port, strerror(-err));
			goto fail;
		}
	}
	lgd_timer_arm(&p->tick, lgd_now_ms());
	if (conf->peer_port)
		lgd_timer_arm(&p->retry, lgd_now_ms());
	lgd_partner_state_set(p);
	return p;
fail:
	lgd_partner_close(p);
	return NULL;
}

void lgd_partner_close(struct lgd_partner *p)
{
	int i;

	if (!p)
		return;
	lgd_timer_stop(&p->tick);
	lgd_timer_stop(&p->retry);
	for (i = 0; i < LGD_PARTNER_CONNS; i++) {
		pc_bye(&p->conns[i], "shutting down");
		free(p->conns[i].rbuf);
	}
	lgd_ps_free(p->s);
	lgd_tls_ctx_free(p->cli);
	lgd_tls_ctx_free(p->srv);
	if (p->lfd >= 0)
		close(p->lfd);
	if (p->efd >= 0)
		close(p->efd);
	free(p);
}

int lgd_partner_fd(const struct lgd_partner *p)
{
	return p->efd;
}

void lgd_partner_get_stats(const struct lgd_partner *p,
			   struct lgd_partner_stats *st)
{
	*st = p->st;
	snprintf(st->peer, sizeof(st->peer), "%s",
		 p->sess ? p->sess->name : "");
}

const char *lgd_partner_state_name(enum lgd_partner_state st)
{
	static const char *const names[] = {
		[LGD_PARTNER_DOWN] = "down",
		[LGD_PARTNER_CONNECTING] = "connecting",
		[LGD_PARTNER_HELLO] = "hello",
		[LGD_PARTNER_BULK] = "bulk",
		[LGD_PARTNER_SYNCED] = "synced",
	};

	return st <= LGD_PARTNER_SYNCED ? names[st] : "?";
}

void lgd_partner_owe_bulk(struct lgd_partner *p)
{
	lgd_ps_owe_bulk(p->s);
	lgd_partner_tick_soon(p);
}

void lgd_partner_set_role(struct lgd_partner *p, uint8_t role)
{
	p->conf.role = role;
	lgd_ps_set_role(p->s, role);
}

const struct lgd_ps *lgd_partner_session(const struct lgd_partner *p)
{
	return p->s;
}

uint16_t lgd_partner_listen_port(const struct lgd_partner *p)
{
	return p->lport;
}

int lgd_partner_conn_fd(const struct lgd_partner *p)
{
	return p->sess ? p->sess->fd : -1;
}

/* ---- The control socket ------------------------------------------------ */

/*
 * The partner's software version, as a word of a key=value line: the
 * HELLO carries any octets but NUL, and a blank, '=' or a newline would
 * cut the line or make another key.
 */
static void ps_word(char *dst, size_t len, const char *src)
{
	size_t i;

	for (i = 0; i + 1 < len && src[i]; i++)
		dst[i] = src[i] > ' ' && src[i] < 0x7f && src[i] != '=' ?
			 src[i] : '?';
	dst[i] = '\0';
}

static void ps_hex(char *dst, const uint8_t *id)
{
	int i;

	for (i = 0; i < LG_SYNC_NODE_ID_LEN; i++)
		sprintf(dst + 2 * i, "%02x", id[i]);
}

/* " KEY=AGE" in ms, when the event happened (at != 0). */
static void ps_age(FILE *f, const char *key, uint64_t now, uint64_t at)
{
	if (at)
		fprintf(f, " %s=%llu", key,
			(unsigned long long)(now > at ? now - at : 0));
}

void lgd_partner_show(const struct lgd_partner *p, FILE *f)
{
	const struct lgd_ps_stats *ss = lgd_ps_stats(p->s);
	const struct lg_sync_hello *h = lgd_ps_peer(p->s);
	char id[2 * LG_SYNC_NODE_ID_LEN + 1];
	char ver[LG_SYNC_SW_VERSION_MAX + 1];
	struct lgd_partner_stats st;
	uint64_t now = lgd_now_ms();

	lgd_partner_get_stats(p, &st);
	ps_hex(id, p->conf.node_id);
	fprintf(f, "partner state=%s", lgd_partner_state_name(st.state));
	ps_age(f, "state-age-ms", now, st.since_ms);
	fprintf(f, " node-id=%s peer=%s port=%u listen=%s listen-port=%u",
		id, p->conf.peer_addr, p->conf.peer_port,
		*p->conf.listen_addr ? p->conf.listen_addr : "any", p->lport);
	if (*st.peer)
		fprintf(f, " connection=%s", st.peer);
	if (h) {
		ps_hex(id, h->node_id);
		ps_word(ver, sizeof(ver), h->sw_version);
		fprintf(f, " peer-node-id=%s peer-role=%s peer-version=%s",
			id, lg_sync_role_name(h->role), *ver ? ver : "?");
	}
	ps_age(f, "last-heartbeat-age-ms", now, ss->last_heartbeat_ms);
	ps_age(f, "last-recv-age-ms", now, ss->last_recv_ms);
	fputc('\n', f);

	fprintf(f, "sync queue=%zu queue-hwm=%zu tombstones=%zu tombstones-dropped=%llu sent=%llu received=%llu applied=%llu refused=%llu conflicts-won=%llu conflicts-lost=%llu duplicates=%llu gaps=%llu resent=%llu bulks-sent=%llu bulks-received=%llu overflows=%llu malformed=%llu unknown=%llu dead=%llu\n",
		ss->queue_len, ss->queue_hwm, ss->tombs,
		(unsigned long long)ss->tombs_dropped,
		(unsigned long long)ss->sent,
		(unsigned long long)ss->received,
		(unsigned long long)ss->applied,
		(unsigned long long)ss->refused,
		(unsigned long long)ss->conflicts_won,
		(unsigned long long)ss->conflicts_lost,
		(unsigned long long)ss->duplicates,
		(unsigned long long)ss->gaps,
		(unsigned long long)ss->resent,
		(unsigned long long)ss->bulks_sent,
		(unsigned long long)ss->bulks_received,
		(unsigned long long)ss->overflows,
		(unsigned long long)ss->malformed,
		(unsigned long long)ss->unknown,
		(unsigned long long)ss->dead);

	fprintf(f, "connection attempts=%llu reconnects=%llu connects-failed=%llu connected=%llu accepted=%llu refused=%llu hs-key=%llu hs-identity=%llu hs-not-tls=%llu hs-other=%llu duplicates=%llu lost=%llu bytes-in=%llu bytes-out=%llu backoff-ms=%u\n",
		(unsigned long long)st.attempts,
		(unsigned long long)st.reconnects,
		(unsigned long long)st.connects_failed,
		(unsigned long long)st.connected,
		(unsigned long long)st.accepted,
		(unsigned long long)st.refused,
		(unsigned long long)st.hs_key,
		(unsigned long long)st.hs_identity,
		(unsigned long long)st.hs_not_tls,
		(unsigned long long)st.hs_other,
		(unsigned long long)st.duplicates,
		(unsigned long long)st.lost,
		(unsigned long long)st.bytes_in,
		(unsigned long long)st.bytes_out,
		st.backoff_ms);
}
