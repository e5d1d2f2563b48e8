// SPDX-License-Identifier: GPL-2.0
/*
 * lgctl's side of leaseguardd's control socket (agent/control.c has the
 * protocol): one command a connection, an answer of lines
 * "kind key=value key=value...", for what only the daemon knows.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "json_print.h"
#include "lgctl.h"

FILE *lg_ctl_open(const char *path, const char *cmd, int *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len = strlen(cmd), off = 0;
	ssize_t n;
	FILE *f;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		*err = -ENAMETOOLONG;
		return NULL;
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		goto err;
	/* the command and its newline; long ones ("outcome ID...") too */
	while (off <= len) {
		n = off < len ? write(fd, cmd + off, len - off) :
			       write(fd, "\n", 1);
		if (n <= 0)
			goto err;
		off += n;
	}
	shutdown(fd, SHUT_WR);
	f = fdopen(fd, "r");
	if (f)
		return f;
err:
	*err = -errno;
	if (fd >= 0)
		close(fd);
	return NULL;
}

FILE *lg_ctl_ask(const char *path, const char *cmd)
{
	FILE *f;
	int err;

	f = lg_ctl_open(path, cmd, &err);
	if (f)
		return f;
	if (err == -ENAMETOOLONG)
		fprintf(stderr, "lgctl: socket path \"%s\" is too long\n", path);
	else
		fprintf(stderr, "lgctl: leaseguardd at %s: %s%s\n", path,
			strerror(-err),
			err == -ENOENT || err == -ECONNREFUSED ?
			" (is leaseguardd running?)" : "");
	return NULL;
}

int lg_ctl_read(FILE *f, bool (*cb)(struct lg_ctl_line *l, void *data),
		void *data, const char *older)
{
	struct lg_ctl_line l;
	char line[4096];
	int ret = 0, used = 0;

	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "error ", 6)) {
			fprintf(stderr, "lgctl: leaseguardd says: %s\n",
				line + 6);
			ret = 1;
			continue;
		}
		lg_ctl_split(line, &l);
		used += l.kind && cb(&l, data);
	}
	fclose(f);
	if (!used && !ret) {
		fprintf(stderr, "lgctl: leaseguardd gave no answer%s\n", older);
		ret = 1;
	}
	return ret;
}

void lg_ctl_split(char *s, struct lg_ctl_line *l)
{
	char *save, *w, *eq;

	l->n = 0;
	l->kind = strtok_r(s, " ", &save);
	while ((w = strtok_r(NULL, " ", &save)) && l->n < LG_CTL_MAX_WORDS) {
		eq = strchr(w, '=');
		if (!eq)
			continue;
		*eq = '\0';
		l->key[l->n] = w;
		l->val[l->n++] = eq + 1;
	}
}

const char *lg_ctl_get(const struct lg_ctl_line *l, const char *key)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->key[i], key))
			return l->val[i];
	return "";
}

static bool lg_ctl_listed(const char *key, const char *const *list)
{
	int i;

	for (i = 0; list && list[i]; i++)
		if (!strcmp(key, list[i]))
			return true;
	return false;
}

void lg_ctl_json_fields(const struct lg_ctl_line *l,
			const char *const *strings, const char *const *bools)
{
	int i;

	for (i = 0; i < l->n; i++) {
		char key[64];
		size_t k;

		/* next-ms -> next_ms: JSON keys are snake_case. */
		snprintf(key, sizeof(key), "%s", l->key[i]);
		for (k = 0; key[k]; k++)
			if (key[k] == '-')
				key[k] = '_';
		if (lg_ctl_listed(l->key[i], strings))
			print_string(PRINT_JSON, key, NULL, l->val[i]);
		else if (lg_ctl_listed(l->key[i], bools))
			print_bool(PRINT_JSON, key, NULL,
				   strcmp(l->val[i], "0") != 0);
		else
			print_u64(PRINT_JSON, key, NULL,
				  strtoull(l->val[i], NULL, 10));
	}
}
