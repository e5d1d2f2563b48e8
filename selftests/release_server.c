// SPDX-License-Identifier: GPL-2.0
/*
 * release_server: a scripted DHCPv6 server for the relay-initiated release
 * (draft-gandhewar-dhc-v6-relay-initiated-release-01, sections 3 and 4),
 * for tests and benchmarks. It answers each valid RELEASE-REQUEST with the
 * RELEASE-REQUEST-REPLY its options ask for, or with none, or with replies
 * a relay must discard first, and logs one line per event. Parsing and
 * building are agent/lib/dhcp6_release.c's, the code leaseguardd uses.
 *
 * One socket, one loop: ppoll() with SIGTERM and SIGINT unblocked only
 * while it sleeps (no lost wakeup), then recvmsg() until the queue is dry.
 * Nothing is allocated per message: the clients of a request are parsed
 * into one array, and the reply is built from the same entries.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dhcp6_release.h"
#include "hex.h"

#define PROG		"release_server"
#define UDP6_MAX	65527		/* 65535 less the UDP header */
#define RCVBUF		(4 << 20)
#define XID_FLIP	0x800000
#define BOGUS_OPT_LEN	64		/* what the malformed option claims */

struct opts {
	struct sockaddr_in6 addr;
	uint8_t req_type, reply_type;
	uint8_t sid[DR_DUID_MAX];
	uint16_t sid_len;		/* 0: no -s */
	const char *log_path;
	unsigned long drop;
	unsigned long drop_for;		/* seconds after the first request */
	bool silent;
	uint16_t status;
	bool has_client_status, has_ia_status;
	uint16_t client_status, ia_status;
	bool bogus;
	unsigned long count;		/* 0: forever */
	uint16_t max_clients;
	bool quiet;
};

struct server {
	struct opts o;
	int fd;
	FILE *log;
	struct timespec start;
	struct timespec first;		/* the first request's arrival */
	struct dr_client *clients;
	unsigned long requests, replies, dropped;
	uint8_t rx[UDP6_MAX + 1];
	uint8_t reply[UDP6_MAX];
	uint8_t bogus[UDP6_MAX + 8];
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* ---- Command line --------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
"Usage: " PROG " [-a ADDR] [-p PORT] [-t REQ_TYPE] [-r REPLY_TYPE]\n"
"                      [-s SERVER_DUID_HEX] [-o LOGFILE] [-q]\n"
"                      [--drop N] [--drop-for SECONDS] [--silent]\n"
"                      [--status CODE] [--client-status CODE] [--ia-status CODE]\n"
"                      [--bogus] [--count N] [--max-clients N]\n"
"Defaults: -a :: -p 547 -t 240 -r 241 --status 0 --max-clients 1024.\n");
}

/* One line on stderr, exit 2. */
static void __attribute__((noreturn, format(printf, 1, 2)))
bad_arg(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* A decimal number in [min, max], or exit 2 naming opt. */
static unsigned long num_arg(const char *opt, const char *s,
			     unsigned long min, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!*s || *end || s[0] == '-' || s[0] == '+' || errno ||
	    v < min || v > max)
		bad_arg("%s: \"%s\" is not a number from %lu to %lu",
			opt, s, min, max);
	return v;
}

static uint8_t type_arg(const char *opt, const char *s)
{
	unsigned long v = num_arg(opt, s, 1, 255);

	/* dr_parse() and dr_build() refuse the relay messages' format */
	if (v == 12 || v == 13)
		bad_arg("%s: \"%s\" is RELAY-FORW or RELAY-REPL", opt, s);
	return (uint8_t)v;
}

/* Hex octets, with or without ':' between them (lg_hex_parse()). */
static void duid_arg(const char *s, struct opts *o)
{
	int n = lg_hex_parse(s, o->sid, DR_DUID_MAX);

	if (n == -ERANGE)
		bad_arg("-s: \"%s\" is longer than %d octets", s, DR_DUID_MAX);
	if (n < 0)
		bad_arg("-s: \"%s\" is not hex octets, like 00:03:00:01:02:00:00:00:0f:02", s);
	if (n < DR_DUID_MIN)
		bad_arg("-s: \"%s\" is shorter than %d octets", s, DR_DUID_MIN);
	o->sid_len = (uint16_t)n;
}

/* An IPv6 address, with %IFNAME for a link-local one. */
static void addr_arg(const char *s, struct sockaddr_in6 *sa)
{
	char buf[INET6_ADDRSTRLEN + IF_NAMESIZE + 1];
	char *pct;

	if (strlen(s) >= sizeof(buf))
		bad_arg("-a: \"%s\" is not an IPv6 address", s);
	strcpy(buf, s);
	pct = strchr(buf, '%');
	if (pct) {
		*pct++ = '\0';
		sa->sin6_scope_id = if_nametoindex(pct);
		if (!sa->sin6_scope_id)
			bad_arg("-a: no interface \"%s\"", pct);
	}
	if (inet_pton(AF_INET6, buf, &sa->sin6_addr) != 1)
		bad_arg("-a: \"%s\" is not an IPv6 address", s);
}

enum {
	OPT_DROP = 256,
	OPT_DROP_FOR,
	OPT_SILENT,
	OPT_STATUS,
	OPT_CLIENT_STATUS,
	OPT_IA_STATUS,
	OPT_BOGUS,
	OPT_COUNT,
	OPT_MAX_CLIENTS,
};

static const struct option long_opts[] = {
	{ "drop", required_argument, NULL, OPT_DROP },
	{ "drop-for", required_argument, NULL, OPT_DROP_FOR },
	{ "silent", no_argument, NULL, OPT_SILENT },
	{ "status", required_argument, NULL, OPT_STATUS },
	{ "client-status", required_argument, NULL, OPT_CLIENT_STATUS },
	{ "ia-status", required_argument, NULL, OPT_IA_STATUS },
	{ "bogus", no_argument, NULL, OPT_BOGUS },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "max-clients", required_argument, NULL, OPT_MAX_CLIENTS },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void parse_args(int argc, char **argv, struct opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->addr.sin6_family = AF_INET6;
	o->addr.sin6_port = htons(547);
	o->req_type = 240;
	o->reply_type = 241;
	o->max_clients = 1024;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":a:p:t:r:s:o:qh", long_opts,
				NULL)) != -1) {
		switch (c) {
		case 'a':
			addr_arg(optarg, &o->addr);
			break;
		case 'p':
			o->addr.sin6_port =
				htons((uint16_t)num_arg("-p", optarg, 0, 65535));
			break;
		case 't':
			o->req_type = type_arg("-t", optarg);
			break;
		case 'r':
			o->reply_type = type_arg("-r", optarg);
			break;
		case 's':
			duid_arg(optarg, o);
			break;
		case 'o':
			o->log_path = optarg;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case OPT_DROP:
			o->drop = num_arg("--drop", optarg, 0, ULONG_MAX);
			break;
		case OPT_DROP_FOR:
			o->drop_for = num_arg("--drop-for", optarg, 0, 3600);
			break;
		case OPT_SILENT:
			o->silent = true;
			break;
		case OPT_STATUS:
			o->status = (uint16_t)num_arg("--status", optarg, 0, 65535);
			break;
		case OPT_CLIENT_STATUS:
			o->client_status = (uint16_t)num_arg("--client-status",
							     optarg, 0, 65535);
			o->has_client_status = true;
			break;
		case OPT_IA_STATUS:
			o->ia_status = (uint16_t)num_arg("--ia-status", optarg,
							 0, 65535);
			o->has_ia_status = true;
			break;
		case OPT_BOGUS:
			o->bogus = true;
			break;
		case OPT_COUNT:
			o->count = num_arg("--count", optarg, 1, ULONG_MAX);
			break;
		case OPT_MAX_CLIENTS:
			o->max_clients = (uint16_t)num_arg("--max-clients",
							   optarg, 1, 65535);
			break;
		case ':':
			bad_arg("option \"%s\" needs a value", argv[optind - 1]);
		default:
			if (optopt)
				bad_arg("option \"-%c\" is unknown, try \"" PROG " -h\"",
					optopt);
			bad_arg("option \"%s\" is unknown, try \"" PROG " -h\"",
				argv[optind - 1]);
		}
	}
	if (optind < argc)
		bad_arg("argument \"%s\" is unknown, try \"" PROG " -h\"",
			argv[optind]);
	if (o->req_type == o->reply_type)
		bad_arg("-t and -r must differ");
}

/* ---- Log ------------------------------------------------------------ */

/* "t=MS.UUU ", milliseconds since start. */
static void log_time(struct server *s)
{
	struct timespec now;
	long long ns;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = (now.tv_sec - s->start.tv_sec) * 1000000000LL +
	     (now.tv_nsec - s->start.tv_nsec);
	fprintf(s->log, "t=%lld.%03lld ", ns / 1000000, ns / 1000 % 1000);
}

/* " hex=...", unless -q. */
static void log_hex(struct server *s, const uint8_t *p, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	char chunk[512];
	size_t i, n = 0;

	if (s->o.quiet)
		return;
	fputs(" hex=", s->log);
	for (i = 0; i < len; i++) {
		chunk[n++] = digits[p[i] >> 4];
		chunk[n++] = digits[p[i] & 15];
		if (n == sizeof(chunk)) {
			fwrite(chunk, 1, n, s->log);
			n = 0;
		}
	}
	fwrite(chunk, 1, n, s->log);
}

static void log_end(struct server *s)
{
	fputc('\n', s->log);
	fflush(s->log);
}

static const char *addr_str(const struct in6_addr *a, char *buf)
{
	return inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN);
}

/* ---- Replies -------------------------------------------------------- */

/* The request's peer and local address, to answer from where it came. */
struct peer {
	struct sockaddr_in6 from;
	struct in6_pktinfo to;
	bool has_to;
};

static void send_one(struct server *s, const struct peer *p, const char *kind,
		     uint32_t xid, const char *status, const uint8_t *buf,
		     size_t len)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cbuf;
	struct iovec iov = { (void *)buf, len };
	struct msghdr msg = {
		.msg_name = (void *)&p->from,
		.msg_namelen = sizeof(p->from),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	struct in6_pktinfo *pi;
	struct cmsghdr *cm;

	if (p->has_to) {
		memset(&cbuf, 0, sizeof(cbuf));
		msg.msg_control = cbuf.buf;
		msg.msg_controllen = sizeof(cbuf.buf);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = IPPROTO_IPV6;
		cm->cmsg_type = IPV6_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(*pi));
		pi = (struct in6_pktinfo *)CMSG_DATA(cm);
		/* A request to a group is answered from a unicast address. */
		if (!IN6_IS_ADDR_MULTICAST(&p->to.ipi6_addr))
			pi->ipi6_addr = p->to.ipi6_addr;
		if (IN6_IS_ADDR_LINKLOCAL(&p->to.ipi6_addr) ||
		    IN6_IS_ADDR_MULTICAST(&p->to.ipi6_addr))
			pi->ipi6_ifindex = p->to.ipi6_ifindex;
	}

	/* Logged first: whoever got the reply finds it in the log. */
	fputs("tx ", s->log);
	log_time(s);
	fprintf(s->log, "kind=%s xid=%06x status=%s len=%zu", kind, xid,
		status, len);
	log_hex(s, buf, len);
	log_end(s);
	if (sendmsg(s->fd, &msg, 0) < 0) {
		fputs("txerr ", s->log);
		log_time(s);
		fprintf(s->log, "kind=%s xid=%06x err=%s", kind, xid,
			strerror(errno));
		log_end(s);
	}
}

/*
 * Turns the parsed request m into its reply, in place: the clients' DUIDs,
 * Interface-Ids and IAs stay where dr_parse() pointed them.
 */
static void make_reply(const struct server *s, struct dr_msg *m)
{
	const struct opts *o = &s->o;
	struct dr_client *c;
	uint16_t i;
	uint8_t j;

	m->type = o->reply_type;
	if (o->sid_len) {
		m->server_id.data = o->sid;
		m->server_id.len = o->sid_len;
	}
	m->relay_id.len = 0;
	m->has_status = true;
	m->status = o->status;
	m->status_text.len = 0;
	if (!o->has_client_status && !o->has_ia_status)
		m->n_clients = 0;
	for (i = 0; i < m->n_clients; i++) {
		c = &m->clients[i];
		c->has_status = o->has_client_status;
		c->status = o->client_status;
		if (!o->has_ia_status)
			c->n_ias = 0;
		for (j = 0; j < c->n_ias; j++) {
			c->ias[j].n_leases = 0;		/* draft 4.3 */
			c->ias[j].has_status = true;
			c->ias[j].status = o->ia_status;
		}
	}
}

static void strip_statuses(struct dr_msg *m)
{
	uint16_t i;
	uint8_t j;

	m->has_status = false;
	for (i = 0; i < m->n_clients; i++) {
		m->clients[i].has_status = false;
		for (j = 0; j < m->clients[i].n_ias; j++)
			m->clients[i].ias[j].has_status = false;
	}
}

static void answer(struct server *s, const struct peer *p, struct dr_msg *m)
{
	uint32_t xid = m->xid, bad_xid = xid ^ XID_FLIP;
	char status[8];
	size_t len, blen;
	uint8_t *b = s->bogus;

	make_reply(s, m);
	snprintf(status, sizeof(status), "%u", s->o.status);
	len = dr_build(m, s->reply, sizeof(s->reply));
	if (!len) {
		fputs("txerr ", s->log);
		log_time(s);
		fprintf(s->log, "kind=reply xid=%06x err=too-big", xid);
		log_end(s);
		return;
	}

	if (s->o.bogus) {
		/* another exchange's */
		memcpy(b, s->reply, len);
		b[1] = (uint8_t)(bad_xid >> 16);
		b[2] = (uint8_t)(bad_xid >> 8);
		b[3] = (uint8_t)bad_xid;
		send_one(s, p, "bogus-xid", bad_xid, status, b, len);

		/* no Status Code at any level */
		strip_statuses(m);
		blen = dr_build(m, b, UDP6_MAX - 6);
		if (blen) {
			send_one(s, p, "bogus-nostatus", xid, "none", b, blen);

			/* and the status in an option that overruns */
			b[blen++] = 0;
			b[blen++] = DR_OPT_STATUS_CODE;
			b[blen++] = 0;
			b[blen++] = BOGUS_OPT_LEN;
			b[blen++] = (uint8_t)(s->o.status >> 8);
			b[blen++] = (uint8_t)s->o.status;
			send_one(s, p, "bogus-malformed", xid, status, b, blen);
		}
	}

	send_one(s, p, "reply", xid, status, s->reply, len);
	s->replies++;
}

/* ---- Requests ------------------------------------------------------- */

/* Why a request is discarded (draft 3.2.1), or NULL. */
static const char *check_request(const struct server *s, const uint8_t *buf,
				 size_t len, const struct dr_msg *m,
				 enum dr_err err, char *why, size_t why_len)
{
	const struct opts *o = &s->o;

	if (len >= 1 && buf[0] != o->req_type)
		return "type";
	if (err) {
		snprintf(why, why_len, "parse:%s", dr_err_name(err));
		return why;
	}
	if (!m->relay_id.len)
		return "no-relay-id";
	if (!m->n_clients)
		return "no-client-data";
	if (!m->server_id.len ||
	    (o->sid_len && (m->server_id.len != o->sid_len ||
			    memcmp(m->server_id.data, o->sid, o->sid_len))))
		return "server-id";
	return NULL;
}

/* --drop-for: still within SECONDS of the first request? */
static bool dropping_for(const struct server *s)
{
	struct timespec now;

	if (!s->o.drop_for)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - s->first.tv_sec) * 1000000000LL +
	       (now.tv_nsec - s->first.tv_nsec) <
	       (long long)s->o.drop_for * 1000000000LL;
}

static void handle(struct server *s, const uint8_t *buf, size_t len,
		   const struct peer *p)
{
	struct dr_msg m = { .clients = s->clients,
			    .max_clients = s->o.max_clients };
	char addr[INET6_ADDRSTRLEN], why[32];
	enum dr_err err;
	const char *reason;
	uint32_t xid = 0;
	size_t i;

	for (i = 1; i < 4; i++)
		xid = xid << 8 | (i < len ? buf[i] : 0);
	err = dr_parse(buf, len, &m);

	fputs("rx ", s->log);
	log_time(s);
	fprintf(s->log, "from=%s port=%u type=%u xid=%06x len=%zu clients=%u",
		addr_str(&p->from.sin6_addr, addr), ntohs(p->from.sin6_port),
		len ? buf[0] : 0, xid, len, err ? 0 : m.n_clients);
	log_hex(s, buf, len);
	log_end(s);

	reason = check_request(s, buf, len, &m, err, why, sizeof(why));
	if (reason) {
		fputs("discard ", s->log);
		log_time(s);
		fprintf(s->log, "xid=%06x reason=%s", xid, reason);
		log_end(s);
		return;
	}

	if (!s->requests++)
		clock_gettime(CLOCK_MONOTONIC, &s->first);
	if (s->o.silent || s->dropped < s->o.drop || dropping_for(s)) {
		s->dropped++;
		fputs("drop ", s->log);
		log_time(s);
		fprintf(s->log, "xid=%06x n=%lu", xid, s->dropped);
		log_end(s);
	} else {
		answer(s, p, &m);
	}
	if (s->o.count && s->requests >= s->o.count)
		stop = 1;
}

/* Reads what is queued; false on a socket error. */
static bool drain(struct server *s)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cbuf;
	struct iovec iov = { s->rx, sizeof(s->rx) };
	struct msghdr msg;
	struct cmsghdr *cm;
	struct peer p;
	ssize_t n;

	while (!stop) {
		memset(&p, 0, sizeof(p));
		memset(&msg, 0, sizeof(msg));
		msg.msg_name = &p.from;
		msg.msg_namelen = sizeof(p.from);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = cbuf.buf;
		msg.msg_controllen = sizeof(cbuf.buf);
		n = recvmsg(s->fd, &msg, MSG_DONTWAIT);
		if (n < 0)
			return errno == EAGAIN || errno == EINTR;
		if (msg.msg_namelen < sizeof(p.from) ||
		    p.from.sin6_family != AF_INET6)
			continue;
		for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
			if (cm->cmsg_level == IPPROTO_IPV6 &&
			    cm->cmsg_type == IPV6_PKTINFO) {
				memcpy(&p.to, CMSG_DATA(cm), sizeof(p.to));
				p.has_to = true;
			}
		}
		handle(s, s->rx, (size_t)n, &p);
	}
	return true;
}

static int open_socket(struct server *s)
{
	struct sockaddr_in6 sa;
	socklen_t sl = sizeof(sa);
	char addr[INET6_ADDRSTRLEN];
	int one = 1, rcvbuf = RCVBUF;
	int fd;

	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	/* FORCE goes past net.core.rmem_max, for root */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&s->o.addr, sizeof(s->o.addr)) ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl)) {
		close(fd);
		return -1;
	}
	s->fd = fd;
	fprintf(s->log, "ready addr=%s port=%u", addr_str(&sa.sin6_addr, addr),
		ntohs(sa.sin6_port));
	log_end(s);
	return 0;
}

int main(int argc, char **argv)
{
	static struct server s;
	struct sigaction sa = { .sa_handler = on_signal };
	struct pollfd pfd;
	sigset_t block, wait_mask;

	parse_args(argc, argv, &s.o);
	clock_gettime(CLOCK_MONOTONIC, &s.start);

	s.log = stdout;
	if (s.o.log_path) {
		s.log = fopen(s.o.log_path, "w");
		if (!s.log) {
			fprintf(stderr, PROG ": %s: %s\n", s.o.log_path,
				strerror(errno));
			return 1;
		}
	}
	setvbuf(s.log, NULL, _IOLBF, 0);

	s.clients = calloc(s.o.max_clients, sizeof(*s.clients));
	if (!s.clients) {
		perror(PROG);
		return 1;
	}

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &wait_mask);
	sigdelset(&wait_mask, SIGTERM);
	sigdelset(&wait_mask, SIGINT);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	if (open_socket(&s)) {
		fprintf(stderr, PROG ": socket on port %u: %s\n",
			ntohs(s.o.addr.sin6_port), strerror(errno));
		return 1;
	}

	pfd.fd = s.fd;
	pfd.events = POLLIN;
	while (!stop) {
		if (ppoll(&pfd, 1, NULL, &wait_mask) < 0) {
			if (errno == EINTR)
				continue;
			perror(PROG ": ppoll");
			return 1;
		}
		if (!drain(&s)) {
			perror(PROG ": recvmsg");
			return 1;
		}
	}

	fprintf(s.log, "exit requests=%lu replies=%lu", s.requests, s.replies);
	log_end(&s);
	close(s.fd);
	free(s.clients);
	return 0;
}
