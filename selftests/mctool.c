// SPDX-License-Identifier: GPL-2.0
/*
 * mctool: join multicast groups and send multicast datagrams with real
 * sockets, for the IGMP/MLD proxy end-to-end tests.
 *
 * The proxy must be tested against the membership reports that a host's
 * own kernel sends (IGMPv3/MLDv2, or IGMPv1/v2 and MLDv1 when a test sets
 * force_igmp_version/force_mld_version), not against hand-built packets.
 * So a host in a namespace runs "mctool join", which holds a membership on
 * one UDP socket, changes it on signals (SIGUSR1: leave; SIGUSR2: apply the
 * filter in -f FILE with setsourcefilter(3), so that the kernel sends one
 * state-change report) and counts what it receives. A sender upstream runs
 * "mctool send", from one of its source addresses if asked.
 *
 * One socket, one loop: ppoll() with the signals unblocked only while it
 * sleeps, so that none is lost. stdout is line buffered: tests wait on it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PROG		"mctool"
#define MAX_SRC		64
#define MODE_LEAVE	(-1)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define SIN(ss)		((struct sockaddr_in *)(ss))
#define SIN6(ss)	((struct sockaddr_in6 *)(ss))

static const char usage_text[] =
"usage: " PROG " join -i IFNAME -g GROUP [-m include|exclude] [-s SOURCE]...\n"
"                  [-p PORT] [-t SECONDS] [-c COUNT] [-f FILE] [-q]\n"
"       " PROG " send -i IFNAME -g GROUP [-S SOURCE_ADDR] [-p PORT] [-n COUNT]\n"
"                  [-w MS] [-T TTL]\n"
"join: SIGUSR1 leaves the group; SIGUSR2 applies the line in FILE:\n"
"      \"include S...\", \"exclude S...\" or \"leave\". -s without -m is include.\n";

static struct {
	unsigned long port, count, nsend, wait_ms, ttl;
	const char *file;
	double secs;
	int quiet, mode, nsrc;
	struct sockaddr_storage src[MAX_SRC], saddr;
} o = { .port = 5001, .nsend = 1, .wait_ms = 100, .ttl = 16 };

static int sock = -1, family, mc_level, joined;
static unsigned int ifindex;
static struct sockaddr_storage group;
static volatile sig_atomic_t got[NSIG];

static void usage(int code)
{
	fputs(usage_text, code ? stderr : stdout);
	exit(code);
}

static void __attribute__((format(printf, 1, 2))) die(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(err));
	exit(1);
}

static void bad_arg(const char *what, const char *arg)
{
	fprintf(stderr, PROG ": bad %s '%s'\n", what, arg);
	usage(2);
}

static unsigned long parse_num(const char *s, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v > max)
		bad_arg("number", s);
	return v;
}

/* An address of family @fam (AF_UNSPEC: either) into @ss; 0 on success. */
static int parse_addr(const char *s, int fam, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (fam != AF_INET6 && inet_pton(AF_INET, s, &SIN(ss)->sin_addr) == 1)
		ss->ss_family = AF_INET;
	else if (fam != AF_INET &&
		 inet_pton(AF_INET6, s, &SIN6(ss)->sin6_addr) == 1)
		ss->ss_family = AF_INET6;
	return ss->ss_family ? 0 : -1;
}

static socklen_t ss_len(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET ? sizeof(struct sockaddr_in) :
					  sizeof(struct sockaddr_in6);
}

static void setopt(int level, int name, const void *val, socklen_t len,
		   const char *what)
{
	if (setsockopt(sock, level, name, val, len) < 0)
		die("setsockopt(%s)", what);
}

static void setint(int level, int name, int val, const char *what)
{
	setopt(level, name, &val, sizeof(val), what);
}

static void set_filter(int mode, const struct sockaddr_storage *src, int n)
{
	if (setsourcefilter(sock, ifindex, (struct sockaddr *)&group,
			    ss_len(&group), mode, n, src) < 0)
		die("setsourcefilter");
}

/*
 * Bring the membership to @mode (MCAST_INCLUDE, MCAST_EXCLUDE or MODE_LEAVE)
 * with sources @src. A first join uses the join options, as applications
 * do; a change on a joined socket is one setsourcefilter(), so that the
 * kernel sends one state-change report (TO_IN, TO_EX, ALLOW, BLOCK).
 */
static void mc_apply(int mode, const struct sockaddr_storage *src, int n)
{
	struct group_req gr = { .gr_interface = ifindex, .gr_group = group };
	struct group_source_req gsr = {
		.gsr_interface = ifindex, .gsr_group = group,
	};
	int i;

	if (mode == MODE_LEAVE || (mode == MCAST_INCLUDE && !n)) {
		if (joined)
			setopt(mc_level, MCAST_LEAVE_GROUP, &gr, sizeof(gr),
			       "MCAST_LEAVE_GROUP");
		joined = 0;
	} else if (joined) {
		set_filter(mode, src, n);
	} else if (mode == MCAST_INCLUDE) {
		for (i = 0; i < n; i++) {
			gsr.gsr_source = src[i];
			setopt(mc_level, MCAST_JOIN_SOURCE_GROUP, &gsr,
			       sizeof(gsr), "MCAST_JOIN_SOURCE_GROUP");
		}
		joined = 1;
	} else {
		setopt(mc_level, MCAST_JOIN_GROUP, &gr, sizeof(gr),
		       "MCAST_JOIN_GROUP");
		if (n)
			set_filter(MCAST_EXCLUDE, src, n);
		joined = 1;
	}
}

static const char *mode_name(int mode)
{
	return mode == MODE_LEAVE ? "leave" :
	       mode == MCAST_INCLUDE ? "include" : "exclude";
}

/* "leave", "include" or "exclude" (or NULL) to a mode; -2 if none. */
static int parse_mode(const char *s)
{
	static const int modes[] = { MODE_LEAVE, MCAST_INCLUDE, MCAST_EXCLUDE };
	unsigned int i;

	for (i = 0; s && i < ARRAY_SIZE(modes); i++)
		if (!strcmp(s, mode_name(modes[i])))
			return modes[i];
	return -2;
}

/* SIGUSR2: one line "include S...", "exclude S..." or "leave". */
static void apply_file(const char *path)
{
	static struct sockaddr_storage src[MAX_SRC];
	char line[4096], *tok, *save;
	int mode, n = 0;
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		die("%s", path);
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	tok = strtok_r(line, " \t\r\n", &save);
	mode = parse_mode(tok);
	if (mode == -2)
		goto bad;
	while ((tok = strtok_r(NULL, " \t\r\n", &save))) {
		if (mode == MODE_LEAVE || n == MAX_SRC ||
		    parse_addr(tok, family, &src[n]))
			goto bad;
		n++;
	}
	mc_apply(mode, src, n);
	printf("applied %s %d\n", mode_name(mode), n);
	return;
bad:
	fprintf(stderr, PROG ": %s: bad filter line (at '%s')\n", path,
		tok ? tok : "");
	exit(1);
}

static void on_signal(int sig)
{
	got[sig] = 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void set_port(struct sockaddr_storage *ss, unsigned int port)
{
	if (ss->ss_family == AF_INET)
		SIN(ss)->sin_port = htons(port);
	else
		SIN6(ss)->sin6_port = htons(port);
}

static int do_join(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGUSR1, SIGUSR2 };
	struct sigaction sa = { .sa_handler = on_signal };
	struct sockaddr_storage any = { .ss_family = family }, from;
	double deadline = o.secs > 0 ? now() + o.secs : 0;
	char buf[65536], name[INET6_ADDRSTRLEN];
	unsigned long received = 0;
	sigset_t block, orig;
	unsigned int i;

	sigemptyset(&block);
	for (i = 0; i < ARRAY_SIZE(sigs); i++) {
		sigaddset(&block, sigs[i]);
		sigaction(sigs[i], &sa, NULL);
	}
	sigprocmask(SIG_BLOCK, &block, &orig);

	setint(SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
	/* Only this socket's own memberships, not every group on the host. */
	if (family == AF_INET) {
		setint(IPPROTO_IP, IP_MULTICAST_ALL, 0, "IP_MULTICAST_ALL");
	} else {
		setint(IPPROTO_IPV6, IPV6_V6ONLY, 1, "IPV6_V6ONLY");
		setint(IPPROTO_IPV6, IPV6_MULTICAST_ALL, 0, "IPV6_MULTICAST_ALL");
	}
	set_port(&any, o.port);
	if (bind(sock, (struct sockaddr *)&any, ss_len(&any)) < 0)
		die("bind port %lu", o.port);
	mc_apply(o.mode, o.src, o.nsrc);
	printf("joined\n");

	while (!got[SIGTERM] && !got[SIGINT] && (!o.count || received < o.count)) {
		struct pollfd pfd = { .fd = sock, .events = POLLIN };
		struct timespec ts, *tsp = NULL;
		socklen_t flen = sizeof(from);
		double left = deadline - now();
		ssize_t len;

		if (got[SIGUSR1]) {
			got[SIGUSR1] = 0;
			mc_apply(MODE_LEAVE, NULL, 0);
			printf("left\n");
		}
		if (got[SIGUSR2]) {
			got[SIGUSR2] = 0;
			if (o.file)
				apply_file(o.file);
			else
				fprintf(stderr, PROG ": SIGUSR2 without -f\n");
		}
		if (deadline && left <= 0)
			break;
		if (deadline) {
			ts.tv_sec = (time_t)left;
			ts.tv_nsec = (long)((left - ts.tv_sec) * 1e9);
			tsp = &ts;
		}
		if (ppoll(&pfd, 1, tsp, &orig) < 0 && errno != EINTR)
			die("ppoll");
		len = recvfrom(sock, buf, sizeof(buf), MSG_DONTWAIT,
			       (struct sockaddr *)&from, &flen);
		if (len < 0 && errno != EAGAIN && errno != EINTR)
			die("recvfrom");
		if (len < 0)
			continue;
		received++;
		inet_ntop(from.ss_family, from.ss_family == AF_INET ?
			  (void *)&SIN(&from)->sin_addr :
			  (void *)&SIN6(&from)->sin6_addr, name, sizeof(name));
		if (!o.quiet)
			printf("from %s len %zd\n", name, len);
	}
	printf("received %lu\n", received);
	close(sock);	/* drops whatever membership is left */
	return 0;
}

static int do_send(void)
{
	struct timespec gap = {
		o.wait_ms / 1000, (o.wait_ms % 1000) * 1000000
	};
	struct ip_mreqn mr = { .imr_ifindex = ifindex };
	unsigned long i;
	char msg[32];
	int len;

	if (o.saddr.ss_family &&
	    bind(sock, (struct sockaddr *)&o.saddr, ss_len(&o.saddr)) < 0)
		die("bind source address");
	if (family == AF_INET) {
		setopt(IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr),
		       "IP_MULTICAST_IF");
		setint(IPPROTO_IP, IP_MULTICAST_TTL, o.ttl, "IP_MULTICAST_TTL");
		setint(IPPROTO_IP, IP_MULTICAST_LOOP, 0, "IP_MULTICAST_LOOP");
	} else {
		setint(IPPROTO_IPV6, IPV6_MULTICAST_IF, ifindex,
		       "IPV6_MULTICAST_IF");
		setint(IPPROTO_IPV6, IPV6_MULTICAST_HOPS, o.ttl,
		       "IPV6_MULTICAST_HOPS");
		setint(IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0,
		       "IPV6_MULTICAST_LOOP");
		SIN6(&group)->sin6_scope_id = ifindex;
	}
	set_port(&group, o.port);
	for (i = 0; i < o.nsend; i++) {
		len = snprintf(msg, sizeof(msg), "mctool %lu", i);
		if (sendto(sock, msg, len, 0, (struct sockaddr *)&group,
			   ss_len(&group)) < 0)
			die("sendto");
		if (i + 1 < o.nsend)
			nanosleep(&gap, NULL);
	}
	printf("sent %lu\n", o.nsend);
	return 0;
}

int main(int argc, char **argv)
{
	const char *ifname = NULL, *grp = NULL, *mstr = NULL;
	int join, opt, i;
	char *end;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "-h"))
		usage(0);
	join = argc > 1 && !strcmp(argv[1], "join");
	if (argc < 2 || (!join && strcmp(argv[1], "send")))
		usage(2);
	while ((opt = getopt(argc - 1, argv + 1, join ? "hi:g:m:s:p:t:c:f:q" :
			     "hi:g:S:p:n:w:T:")) != -1) {
		switch (opt) {
		case 'h':
			usage(0);
			break;
		case 'i':
			ifname = optarg;
			break;
		case 'g':
			grp = optarg;
			break;
		case 'm':
			mstr = optarg;
			break;
		case 's':
			if (o.nsrc == MAX_SRC ||
			    parse_addr(optarg, AF_UNSPEC, &o.src[o.nsrc++]))
				bad_arg("source", optarg);
			break;
		case 'S':
			if (parse_addr(optarg, AF_UNSPEC, &o.saddr))
				bad_arg("source address", optarg);
			break;
		case 'p':
			o.port = parse_num(optarg, 65535);
			break;
		case 't':
			o.secs = strtod(optarg, &end);
			if (end == optarg || *end || o.secs < 0)
				bad_arg("time", optarg);
			break;
		case 'c':
			o.count = parse_num(optarg, ~0UL);
			break;
		case 'n':
			o.nsend = parse_num(optarg, ~0UL);
			break;
		case 'w':
			o.wait_ms = parse_num(optarg, 3600000);
			break;
		case 'T':
			o.ttl = parse_num(optarg, 255);
			break;
		case 'f':
			o.file = optarg;
			break;
		case 'q':
			o.quiet = 1;
			break;
		default:
			usage(2);
		}
	}
	if (optind != argc - 1 || !ifname || !grp)
		usage(2);
	if (parse_addr(grp, AF_UNSPEC, &group) ||
	    (group.ss_family == AF_INET ?
	     !IN_MULTICAST(ntohl(SIN(&group)->sin_addr.s_addr)) :
	     !IN6_IS_ADDR_MULTICAST(&SIN6(&group)->sin6_addr)))
		bad_arg("multicast group", grp);
	family = group.ss_family;
	mc_level = family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
	for (i = 0; i < o.nsrc; i++)
		if (o.src[i].ss_family != family)
			bad_arg("source family for", grp);
	if (o.saddr.ss_family && o.saddr.ss_family != family)
		bad_arg("source address family for", grp);
	o.mode = mstr ? parse_mode(mstr) : o.nsrc ? MCAST_INCLUDE : MCAST_EXCLUDE;
	if (o.mode < 0 || (o.mode == MCAST_INCLUDE && !o.nsrc))
		bad_arg("mode (include needs -s)", mstr);
	ifindex = if_nametoindex(ifname);
	if (!ifindex)
		die("interface %s", ifname);
	if (o.saddr.ss_family == AF_INET6)
		SIN6(&o.saddr)->sin6_scope_id = ifindex;
	sock = socket(family, SOCK_DGRAM, 0);
	if (sock < 0)
		die("socket");
	return join ? do_join() : do_send();
}
