// SPDX-License-Identifier: GPL-2.0
/*
 * slubguardctl - query and control the slubguard kernel module
 *
 * Talks to the sysfs interface under /sys/kernel/slubguard (or the directory
 * named by $SLUBGUARD_SYSFS).  Plain output by default, JSON with -j/--json.
 *
 * Exit status: 0 success, 1 failure, 2 usage error.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE		/* statfs() */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#define PROG		"slubguardctl"
#ifndef SG_TOOL_VERSION
#define SG_TOOL_VERSION	"unknown"	/* the Makefile passes dkms.conf's */
#endif
#define DEFAULT_ROOT	"/sys/kernel/slubguard"
#define ENV_ROOT	"SLUBGUARD_SYSFS"
#define ENV_ANY		"SLUBGUARD_SYSFS_ANY"	/* tests: a root outside sysfs */
#define SYSFS_MAGIC	0x62656572
#define FILE_MAX	(1 << 20)	/* the reports file is at most 32 KiB */
#define VAL_BUF		(4096 + 2)	/* a sysfs attribute is at most one page */
#define MAX_POLICIES	32
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define __maybe_unused	__attribute__((unused))
#define __printf(a, b)	__attribute__((format(printf, a, b)))

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct cmd {
	const char *name;
	const char *args;	/* for the help text */
	int max_args;		/* 0, 1 or 2 */
	bool needs_module;
	int (*fn)(const struct cmd *c, int argc, char **argv);
	const char *val;	/* value written by enable/disable */
	const char *help;
};

struct policy_list {
	char buf[VAL_BUF];
	char *names[MAX_POLICIES];
	int nr;
	int active;
};

static const char *root = DEFAULT_ROOT;
static bool json;

static void usage(FILE *f);
static void json_str(const char *s);

/*
 * An error, on stderr; with -j also on stdout as {"error": "..."} (as
 * bpftool does), so that a script reading JSON sees it. The exit status is
 * the same either way.
 */
__printf(2, 3)
static int msg(int ret, const char *fmt, ...)
{
	char text[VAL_BUF + 256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	fprintf(stderr, PROG ": %s\n", text);
	if (ret == EXIT_USAGE)
		fputs("Try '" PROG " --help'.\n", stderr);
	if (json) {
		fputs("{\"error\": ", stdout);
		json_str(text);
		fputs("}\n", stdout);
	}
	return ret;
}

#define err(...)		msg(EXIT_FAIL, __VA_ARGS__)
#define usage_error(...)	msg(EXIT_USAGE, __VA_ARGS__)

static int build_path(char *buf, size_t size, const char *rel)
{
	int n = snprintf(buf, size, "%s/%s", root, rel);

	if (n < 0 || (size_t)n >= size)
		return err("path too long: %s/%s", root, rel);
	return 0;
}

/*
 * Open an attribute: never through a symbolic link, never anything but a
 * regular file (a FIFO or a device named by $SLUBGUARD_SYSFS would block,
 * or worse). Returns the descriptor or a negative errno.
 */
static int open_attr(const char *path, int flags)
{
	struct stat st;
	int fd = open(path, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	return fd;
}

/*
 * Read a whole attribute (path relative to root) into buf, minus the trailing
 * newline every sysfs show() routine prints.  Returns 0 or EXIT_FAIL.
 */
static int read_attr(const char *rel, char *buf, size_t size)
{
	char path[PATH_MAX];
	size_t len = 0;
	ssize_t n;
	int fd, e;

	if (build_path(path, sizeof(path), rel))
		return EXIT_FAIL;
	fd = open_attr(path, O_RDONLY);
	if (fd < 0)
		return err("cannot open %s: %s", path, strerror(-fd));
	do {
		n = read(fd, buf + len, size - 1 - len);
		len += n > 0 ? (size_t)n : 0;
	} while (n > 0 && len < size - 1);
	e = errno;
	close(fd);
	if (n < 0)
		return err("cannot read %s: %s", path, strerror(e));
	buf[len] = '\0';
	if (len == size - 1 || strlen(buf) != len)
		return err("%s: value too long or not text", path);
	if (len && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	return 0;
}

/* Strict unsigned decimal: digits only, no sign, no blanks, no overflow. */
static int parse_u64(const char *s, unsigned long long *out)
{
	unsigned long long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		unsigned int d = (unsigned int)(*s - '0');

		if (*s < '0' || *s > '9')
			return -1;
		if (v > (ULLONG_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static int read_u64(const char *rel, unsigned long long *out)
{
	char buf[VAL_BUF];

	if (read_attr(rel, buf, sizeof(buf)))
		return EXIT_FAIL;
	if (parse_u64(buf, out))
		return err("%s/%s: not an unsigned decimal number", root, rel);
	return 0;
}

/* Parse "warn [panic]" into names[], with active = index of the bracketed one. */
static int read_policies(struct policy_list *pl)
{
	char *tok, *save = NULL;

	if (read_attr("policy", pl->buf, sizeof(pl->buf)))
		return EXIT_FAIL;
	pl->nr = 0;
	pl->active = -1;
	for (tok = strtok_r(pl->buf, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save)) {
		size_t len = strlen(tok);

		if (tok[0] == '[') {
			if (len < 3 || tok[len - 1] != ']' || pl->active >= 0)
				goto bad;
			tok[len - 1] = '\0';
			tok++;
			pl->active = pl->nr;
		}
		if (strpbrk(tok, "[]") || pl->nr == MAX_POLICIES)
			goto bad;
		pl->names[pl->nr++] = tok;
	}
	if (pl->active < 0)
		goto bad;
	return 0;
bad:
	return err("%s/policy: cannot parse policy list", root);
}

/* Write val (no newline) in one write(); returns 0 or a negative errno. */
static int write_attr(const char *rel, const char *val)
{
	char path[PATH_MAX];
	size_t len = strlen(val);
	ssize_t n;
	int fd, e = 0;

	if (build_path(path, sizeof(path), rel))
		return -ENAMETOOLONG;
	/* sysfs needs no truncation; a file elsewhere is not cut short. */
	fd = open_attr(path, O_WRONLY);
	if (fd < 0)
		return fd;
	n = write(fd, val, len);
	if (n < 0)
		e = -errno;
	else if ((size_t)n != len)
		e = -EIO;
	if (close(fd) && !e)
		e = -errno;
	return e;
}

static int write_error(const char *rel, int e)
{
	if (e == -EACCES || e == -EPERM)
		return err("cannot write %s/%s: permission denied", root, rel);
	return err("cannot write %s/%s: %s", root, rel, strerror(-e));
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/*
 * Text laid out for the terminal, as one JSON string: each line break and
 * the indentation after it become one space.
 */
static void json_text(const char *s)
{
	char buf[VAL_BUF];
	size_t n = 0;

	for (; *s && n < sizeof(buf) - 1; s++) {
		if (*s == '\n') {
			while (s[1] == ' ')
				s++;
			buf[n++] = ' ';
		} else {
			buf[n++] = *s;
		}
	}
	buf[n] = '\0';
	json_str(buf);
}

static int not_dotfile(const struct dirent *de)
{
	return de->d_name[0] != '.';
}

static int stat_index(struct dirent **de, int nr, const char *name)
{
	int i;

	for (i = 0; i < nr; i++)
		if (!strcmp(de[i]->d_name, name))
			return i;
	return -1;
}

/*
 * Read every counter: never print a partial or zero-filled set. The
 * quarantine's counters are read again until they describe one moment
 * (quarantined == released + quarantine_held), since an object can leave
 * between two reads.
 */
static int read_stats(struct dirent **de, int nr, unsigned long long *val)
{
	int q = stat_index(de, nr, "quarantined");
	int r = stat_index(de, nr, "released");
	int h = stat_index(de, nr, "quarantine_held");
	char path[PATH_MAX];
	int i, tries;

	for (tries = 0; tries < 10; tries++) {
		for (i = 0; i < nr; i++) {
			snprintf(path, sizeof(path), "stats/%s", de[i]->d_name);
			if (read_u64(path, &val[i]))
				return -1;
		}
		if (q < 0 || r < 0 || h < 0 || val[q] == val[r] + val[h])
			return 0;
	}
	return err("%s/stats: the quarantine's counters kept changing while read", root);
}

/*
 * After the counters: the backend, and each hooked function with its state
 * ("hook kfree ftrace live divert direct"); in JSON, "backend" and a "hooks" object.
 */
static int print_hooks(bool first)
{
	static char backend[VAL_BUF], hooks[VAL_BUF];
	char *line, *save, *state;

	if (read_attr("backend", backend, sizeof(backend)) ||
	    read_attr("hooks", hooks, sizeof(hooks)))
		return -1;
	if (!json) {
		printf("backend %s\n", backend);
		for (line = strtok_r(hooks, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			printf("hook %s\n", line);
		return 0;
	}
	fputs(first ? "" : ",", stdout);
	fputs("\"backend\":", stdout);
	json_str(backend);
	fputs(",\"hooks\":{", stdout);
	first = true;
	for (line = strtok_r(hooks, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		state = strchr(line, ' ');
		if (!state)
			continue;
		*state++ = '\0';
		fputs(first ? "" : ",", stdout);
		json_str(line);
		putchar(':');
		json_str(state);
		first = false;
	}
	putchar('}');
	return 0;
}

static int cmd_stats(const struct cmd *c __maybe_unused, int argc __maybe_unused,
		     char **argv __maybe_unused)
{
	unsigned long long *val = NULL;
	char path[PATH_MAX];
	struct dirent **de;
	int i, nr, ret = EXIT_FAIL;

	if (build_path(path, sizeof(path), "stats"))
		return EXIT_FAIL;
	/* No setlocale() call, so alphasort() is plain byte order. */
	nr = scandir(path, &de, not_dotfile, alphasort);
	if (nr < 0)
		return err("cannot open %s: %s", path, strerror(errno));
	val = calloc((size_t)nr + 1, sizeof(*val));
	if (!val) {
		err("out of memory");
		goto out;
	}
	if (read_stats(de, nr, val))
		goto out;
	fputs(json ? "{" : "", stdout);
	for (i = 0; i < nr; i++) {
		if (!json) {
			printf("%s %llu\n", de[i]->d_name, val[i]);
			continue;
		}
		fputs(i ? "," : "", stdout);
		json_str(de[i]->d_name);
		printf(":%llu", val[i]);
	}
	if (print_hooks(!nr))
		goto out;
	fputs(json ? "}\n" : "", stdout);
	ret = EXIT_OK;
out:
	free(val);
	while (nr--)
		free(de[nr]);
	free(de);
	return ret;
}

static int cmd_status(const struct cmd *c __maybe_unused, int argc __maybe_unused,
		      char **argv __maybe_unused)
{
	static struct policy_list pl;
	char backend[VAL_BUF];
	unsigned long long enabled, kb, ms, poison, limit, stacks;

	if (read_attr("backend", backend, sizeof(backend)))
		return EXIT_FAIL;
	if (!backend[0])
		return err("%s/backend: empty value", root);
	if (read_u64("enabled", &enabled))
		return EXIT_FAIL;
	if (enabled > 1)
		return err("%s/enabled: unexpected value %llu", root, enabled);
	if (read_policies(&pl))
		return EXIT_FAIL;
	if (read_u64("quarantine_kb", &kb) || read_u64("quarantine_ms", &ms) ||
	    read_u64("poison", &poison) || read_u64("report_limit", &limit) ||
	    read_u64("track_stacks", &stacks))
		return EXIT_FAIL;
	if (json) {
		fputs("{\"backend\":", stdout);
		json_str(backend);
		printf(",\"enabled\":%llu,\"policy\":", enabled);
		json_str(pl.names[pl.active]);
		printf(",\"quarantine_kb\":%llu,\"quarantine_ms\":%llu,\"poison\":%llu,"
		       "\"report_limit\":%llu,\"track_stacks\":%llu}\n", kb, ms, poison, limit, stacks);
	} else {
		printf("backend %s\nenabled %llu\npolicy %s\n"
		       "quarantine_kb %llu\nquarantine_ms %llu\npoison %llu\nreport_limit %llu\n"
		       "track_stacks %llu\n",
		       backend, enabled, pl.names[pl.active], kb, ms, poison, limit, stacks);
	}
	return EXIT_OK;
}

static int set_policy(const char *name)
{
	static struct policy_list pl;
	int e, i;

	/* An empty write never reaches the kernel's store(); reject it here. */
	e = *name ? write_attr("policy", name) : -EINVAL;
	if (!e)
		return EXIT_OK;
	if (e != -EINVAL)
		return write_error("policy", e);
	/* The kernel knows the policies; a name it refuses is a usage error. */
	if (read_policies(&pl))
		return usage_error("invalid policy '%s'", name);
	fprintf(stderr, PROG ": invalid policy '%s' (available:", name);
	for (i = 0; i < pl.nr; i++)
		fprintf(stderr, " %s", pl.names[i]);
	fprintf(stderr, ")\n\nTry '" PROG " --help'.\n");
	return EXIT_USAGE;
}

static int cmd_policy(const struct cmd *c __maybe_unused, int argc, char **argv)
{
	const char *arg = argc ? argv[0] : NULL;
	static struct policy_list pl;
	int i;

	if (arg) {
		int ret = set_policy(arg);

		if (ret || !json)
			return ret;
	}
	if (read_policies(&pl))
		return EXIT_FAIL;
	if (!json) {
		printf("%s\n", pl.names[pl.active]);
		return EXIT_OK;
	}
	fputs("{\"policy\":", stdout);
	json_str(pl.names[pl.active]);
	fputs(",\"available\":[", stdout);
	for (i = 0; i < pl.nr; i++) {
		fputs(i ? "," : "", stdout);
		json_str(pl.names[i]);
	}
	puts("]}");
	return EXIT_OK;
}

static int cmd_enable(const struct cmd *c, int argc __maybe_unused, char **argv __maybe_unused)
{
	unsigned long long enabled;
	int e = write_attr("enabled", c->val);

	if (e)
		return write_error("enabled", e);
	if (json) {
		if (read_u64("enabled", &enabled))
			return EXIT_FAIL;
		printf("{\"enabled\":%llu}\n", enabled);
	}
	return EXIT_OK;
}

/*
 * A whole file (path relative to root), of any size, NUL-terminated: a
 * sysfs binary attribute is read until it returns nothing.
 */
static char *read_file(const char *rel, size_t *lenp)
{
	char path[PATH_MAX], *buf = NULL, *bigger;
	size_t len = 0, size = 0;
	ssize_t n;
	int fd;

	if (build_path(path, sizeof(path), rel))
		return NULL;
	fd = open_attr(path, O_RDONLY);
	if (fd < 0) {
		err("cannot open %s: %s", path,
		    fd == -EACCES ? "permission denied" : strerror(-fd));
		return NULL;
	}
	do {
		if (len >= FILE_MAX) {
			err("%s: more than %d bytes: not slubguard's", path, FILE_MAX);
			goto fail;
		}
		if (size - len < 4096) {
			bigger = realloc(buf, size + 65536);
			if (!bigger) {
				err("out of memory");
				goto fail;
			}
			buf = bigger;
			size += 65536;
		}
		n = read(fd, buf + len, size - 1 - len);
		len += n > 0 ? (size_t)n : 0;
	} while (n > 0);
	if (n < 0) {
		err("cannot read %s: %s", path, strerror(errno));
		goto fail;
	}
	close(fd);
	buf[len] = '\0';
	if (strlen(buf) != len) {
		err("%s: not text", path);
		free(buf);
		return NULL;
	}
	*lenp = len;
	return buf;
fail:
	close(fd);
	free(buf);
	return NULL;
}

/* The rule line that opens and closes a report, and its title's start. */
#define REPORT_RULE	"slubguard: ======"
#define REPORT_TITLE	"BUG: slubguard: "

/*
 * The reports file, whole: the kernel hands it over a page per read(), and
 * a report kept between two reads moves the text, so it is read until two
 * copies agree.
 */
static char *read_reports(size_t *lenp)
{
	char *text, *again;
	size_t len, alen;
	int tries;

	text = read_file("reports", &len);
	for (tries = 0; text && tries < 20; tries++) {
		again = read_file("reports", &alen);
		if (!again)
			break;
		if (alen == len && !memcmp(again, text, len)) {
			free(again);
			*lenp = len;
			return text;
		}
		free(text);
		text = again;
		len = alen;
	}
	if (text && tries == 20)
		err("reports: reports keep coming; no two reads of the file agreed");
	free(text);
	return NULL;
}

/*
 * The last reports, as the console printed them; in JSON, an array of
 * {"title", "lines"}: a report runs from its title (the lines from there
 * on, title first) to its closing rule line, or to the next title.
 */
static int cmd_reports(const struct cmd *c __maybe_unused, int argc __maybe_unused,
		       char **argv __maybe_unused)
{
	char *text, *line, *save = NULL;
	bool in = false, first = true;
	size_t len;

	text = read_reports(&len);
	if (!text)
		return EXIT_FAIL;
	if (!json) {
		fwrite(text, 1, len, stdout);
		free(text);
		return EXIT_OK;
	}
	putchar('[');
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, REPORT_TITLE, strlen(REPORT_TITLE))) {
			if (in)
				fputs("]}", stdout);
			fputs(first ? "{\"title\":" : ",{\"title\":", stdout);
			json_str(line);
			fputs(",\"lines\":[", stdout);
			json_str(line);
			in = true;
			first = false;
		} else if (!strncmp(line, REPORT_RULE, strlen(REPORT_RULE))) {
			if (in)
				fputs("]}", stdout);
			in = false;
		} else if (in) {
			putchar(',');
			json_str(line);
		}
	}
	if (in)
		fputs("]}", stdout);
	puts("]");
	free(text);
	return EXIT_OK;
}

/* Strict decimal in [min, max]. */
static int parse_arg(const char *s, unsigned long long min, unsigned long long max,
		     unsigned long long *out)
{
	return parse_u64(s, out) || *out < min || *out > max ? -1 : 0;
}

/* The counters now: names (sorted) and values, for free_sample(). */
static int sample(struct dirent ***de, int *nr, unsigned long long **val)
{
	char path[PATH_MAX];

	if (build_path(path, sizeof(path), "stats"))
		return -1;
	*nr = scandir(path, de, not_dotfile, alphasort);
	if (*nr < 0) {
		*nr = 0;
		*de = NULL;
		return err("cannot open %s: %s", path, strerror(errno));
	}
	*val = calloc((size_t)*nr + 1, sizeof(**val));
	if (!*val)
		return err("out of memory");
	return read_stats(*de, *nr, *val) ? -1 : 0;
}

static void free_sample(struct dirent **de, int nr, unsigned long long *val)
{
	free(val);
	while (nr-- > 0)
		free(de[nr]);
	free(de);
}

/* The previous sample's value of counter @name, if it had one. */
static bool previous(struct dirent **de, int nr, const unsigned long long *val,
		     const char *name, unsigned long long *out)
{
	int i = de ? stat_index(de, nr, name) : -1;

	if (i < 0)
		return false;
	*out = val[i];
	return true;
}

/* watch's SECONDS and COUNT, checked before anything is read. */
static int watch_args(int argc, char **argv, unsigned long long *secs,
		      unsigned long long *count)
{
	if (argc > 0 && parse_arg(argv[0], 1, 86400, secs))
		return usage_error("watch: SECONDS is a whole number from 1 to 86400, not '%s'",
				   argv[0]);
	if (argc > 1 && parse_arg(argv[1], 1, ULLONG_MAX, count))
		return usage_error("watch: COUNT is a positive whole number, not '%s'", argv[1]);
	return 0;
}

/*
 * The counters live: every SECONDS (default 1) those that changed, and by
 * how much; COUNT samples (default: until interrupted, or until slubguard
 * is unloaded, which is a failure). The first sample shows them all.
 */
static int cmd_watch(const struct cmd *c __maybe_unused, int argc, char **argv)
{
	unsigned long long secs = 1, count = 0, n, old;
	struct dirent **de = NULL, **pde = NULL;
	unsigned long long *val = NULL, *pval = NULL;
	int nr = 0, pnr = 0, i, ret = EXIT_FAIL;
	struct timespec ts;
	bool any;

	if (watch_args(argc, argv, &secs, &count))
		return EXIT_USAGE;
	for (n = 0; !count || n < count; n++) {
		if (n) {
			ts.tv_sec = (time_t)secs;
			ts.tv_nsec = 0;
			while (nanosleep(&ts, &ts) && errno == EINTR)
				;
		}
		/* Gone before the sample, or while it was read. */
		if (access(root, F_OK))
			goto unloaded;
		if (sample(&de, &nr, &val)) {
			if (access(root, F_OK))
				goto unloaded;
			goto out;
		}
		printf(json ? "{\"t\":%llu,\"stats\":{" : "%llus", n * secs);
		for (i = 0, any = false; i < nr; i++) {
			bool had = previous(pde, pnr, pval, de[i]->d_name, &old);

			if (json) {
				fputs(i ? "," : "", stdout);
				json_str(de[i]->d_name);
				printf(":%llu", val[i]);
			} else if (!had || old != val[i]) {
				printf(" %s %llu", de[i]->d_name, val[i]);
				if (had)
					printf(" (%+lld)", (long long)(val[i] - old));
				any = true;
			}
		}
		if (json) {
			fputs("},\"changed\":{", stdout);
			for (i = 0, any = false; i < nr; i++) {
				if (!previous(pde, pnr, pval, de[i]->d_name, &old) || old == val[i])
					continue;
				fputs(any ? "," : "", stdout);
				json_str(de[i]->d_name);
				printf(":%lld", (long long)(val[i] - old));
				any = true;
			}
			fputs("}}", stdout);
		} else if (!any) {
			fputs(" (no change)", stdout);
		}
		putchar('\n');
		if (fflush(stdout))
			goto out;
		free_sample(pde, pnr, pval);
		pde = de;
		pnr = nr;
		pval = val;
		de = NULL;
		val = NULL;
		nr = 0;
	}
	ret = EXIT_OK;
	goto out;
unloaded:
	err("slubguard was unloaded (no %s)", root);
out:
	free_sample(de, nr, val);
	free_sample(pde, pnr, pval);
	return ret;
}

static int cmd_help(const struct cmd *c, int argc, char **argv);

static const struct cmd cmds[] = {
	{ "stats",   NULL,     0, true,  cmd_stats,  NULL,
	  "print every counter as 'name value', sorted by name,\n"
	  "                  then the backend and each hooked function's state" },
	{ "status",  NULL,     0, true,  cmd_status, NULL,
	  "print backend, enabled (0/1), active policy, quarantine settings,\n"
	  "                  report_limit, track_stacks" },
	{ "policy",  "[NAME]", 1, true,  cmd_policy, NULL,
	  "print the active policy, or switch to policy NAME" },
	{ "enable",  NULL,     0, true,  cmd_enable, "1",
	  "hook the free path and timer events again (write 1 to 'enabled')" },
	{ "disable", NULL,     0, true,  cmd_enable, "0",
	  "unhook them: no checks, no cost (write 0 to 'enabled')" },
	{ "reports", NULL,     0, true,  cmd_reports, NULL,
	  "print the last reports in full, as the console showed them (root)" },
	{ "watch",   "[SECONDS [COUNT]]", 2, true, cmd_watch, NULL,
	  "every SECONDS (default 1) print the counters that changed,\n"
	  "                  COUNT times (default: until interrupted)" },
	{ "help",    NULL,     0, false, cmd_help,   NULL,
	  "show this help" },
};
static const size_t nr_cmds = ARRAY_SIZE(cmds);

static int cmd_help(const struct cmd *c __maybe_unused, int argc __maybe_unused,
		    char **argv __maybe_unused)
{
	size_t i;

	if (!json) {
		usage(stdout);
		return EXIT_OK;
	}
	fputs("{\"commands\":[", stdout);
	for (i = 0; i < nr_cmds; i++) {
		fputs(i ? ",{\"name\":" : "{\"name\":", stdout);
		json_str(cmds[i].name);
		fputs(",\"args\":", stdout);
		json_str(cmds[i].args ? cmds[i].args : "");
		fputs(",\"help\":", stdout);
		json_text(cmds[i].help);
		putchar('}');
	}
	puts("]}");
	return EXIT_OK;
}

static void usage(FILE *f)
{
	const struct cmd *c;

	fprintf(f, "Usage: " PROG " [OPTIONS] COMMAND [ARGS]\n\n"
		"Query and control the slubguard kernel module.\n\nCommands:\n");
	for (c = cmds; c < cmds + ARRAY_SIZE(cmds); c++) {
		const char *args = c->args ? c->args : "";

		/* Past the column: the help on a line of its own. */
		if (strlen(c->name) + strlen(args) >= 15)
			fprintf(f, "  %s %s\n%18s%s\n", c->name, args, "", c->help);
		else
			fprintf(f, "  %s %-*s%s\n", c->name, (int)(15 - strlen(c->name)), args,
				c->help);
	}
	fprintf(f, "\nOptions:\n"
		"  -j, --json      print JSON, for every command (watch: an object a line)\n"
		"  -h, --help      show this help and exit\n"
		"  -V, --version   show this tool's version and the loaded module's, and exit\n"
		"\nCounters (stats), since load unless marked 'now':\n"
		"  frees_checked     frees checked\n"
		"  armed_frees       frees of an object holding an armed timer (hits)\n"
		"  armed_hrtimer, armed_timer_list, armed_delayed_work, armed_work_struct,\n"
		"  armed_kthread_work, armed_kthread_delayed_work\n"
		"                    armed objects found, by kind\n"
		"  stale_skipped     registry entries the live object disproved\n"
		"  track_failures    timer arms not recorded (coverage lost)\n"
		"  tracked, tracker_capacity         armed timers known, trackers (now)\n"
		"  tracker_bytes     memory held for tracking: table and pool (now)\n"
		"  quarantined       hits held instead of freed (policy quarantine)\n"
		"  released          held objects given back to their allocator\n"
		"  quarantine_held, quarantine_bytes objects and bytes held (now);\n"
		"                    quarantined == released + quarantine_held\n"
		"  disarmed          timers disarmed at the free\n"
		"  disarm_deferred   timers with a running callback, and works: stopped\n"
		"                    again in process context before the object leaves\n"
		"  quarantine_failures  hits that could not be held (free went on)\n"
		"  poison_violations held objects written to after the free (poison=1)\n"
		"  armed_after_free  held objects armed again, disarmed before leaving\n"
		"  repeat_hits       hits not reported again (at kfree_rcu(), or at the pages' free)\n"
		"  reports_suppressed  reports not printed: over report_limit per 5 s\n"
		"  stack_failures    arming stacks not saved (track_stacks=1)\n"
		"  hooks_live        free-path functions hooked, page frees' tracepoint too (now)\n"
		"  hooks_missed      frees the backend did not hand over (coverage lost)\n"
		"  hook F B live divert|nodivert [direct]  F hooked by backend B;\n"
		"                    divert: can hold an object (quarantine); nodivert:\n"
		"                    reports only; direct: through slubguard's own trampoline;\n"
		"                    B tracepoint: F checked from its kmem tracepoint\n"
		"\nOptions may appear before or after COMMAND; use '--' before an\n"
		"argument that starts with '-'.\n"
		"\nEnvironment:\n"
		"  " ENV_ROOT "  sysfs directory (default: " DEFAULT_ROOT "); one\n"
		"                   outside sysfs is refused unless " ENV_ANY "=1 (tests)\n"
		"\nExit status:\n"
		"  0  success\n"
		"  1  failure (slubguard not loaded, permission denied,\n"
		"     unreadable value, rejected write)\n"
		"  2  usage error (unknown command, option or policy, wrong arguments)\n"
		"With -j an error is also printed on stdout, as {\"error\": \"...\"}.\n");
}

static int check_module(void)
{
	struct statfs fs;
	struct stat st;
	int r = stat(root, &st);

	if (r && errno != ENOENT && errno != ENOTDIR)
		return err("cannot access %s: %s", root, strerror(errno));
	if (r || !S_ISDIR(st.st_mode))
		return err("slubguard is not loaded (no %s)", root);
	if (statfs(root, &fs))
		return err("cannot access %s: %s", root, strerror(errno));
	if (fs.f_type != SYSFS_MAGIC && !getenv(ENV_ANY))
		return err("%s is not in sysfs: refused (" ENV_ANY "=1 allows it, for tests)", root);
	return 0;
}

/*
 * --version: the tool's version, and the loaded module's (from
 * /sys/module/slubguard/version), or that none is loaded.
 */
static int print_version(void)
{
	char mod[64] = "";
	FILE *f = fopen("/sys/module/slubguard/version", "r");

	if (f) {
		if (!fgets(mod, sizeof(mod), f))
			mod[0] = '\0';
		mod[strcspn(mod, "\n")] = '\0';
		fclose(f);
	}
	if (json) {
		fputs("{\"tool\": ", stdout);
		json_str(SG_TOOL_VERSION);
		fputs(", \"module\": ", stdout);
		if (*mod)
			json_str(mod);
		else
			fputs("null", stdout);
		fputs("}\n", stdout);
	} else {
		printf(PROG " %s\nslubguard module: %s\n", SG_TOOL_VERSION,
		       *mod ? mod : "not loaded");
	}
	return fflush(stdout) ? EXIT_FAIL : 0;
}

int main(int argc, char **argv)
{
	const struct cmd *cmd = NULL;
	char **pos = argv + 1;
	bool help = false, version = false, dashdash = false;
	const char *env;
	int i, npos = 0, ret;
	size_t k;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (dashdash || a[0] != '-' || !a[1])
			pos[npos++] = argv[i];
		else if (!strcmp(a, "--"))
			dashdash = true;
		else if (!strcmp(a, "-j") || !strcmp(a, "--json"))
			json = true;
		else if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			help = true;
		else if (!strcmp(a, "-V") || !strcmp(a, "--version"))
			version = true;
		else
			return usage_error("unknown option '%s'", a);
	}
	if (help)
		return cmd_help(NULL, 0, NULL);
	if (version)
		return print_version();
	if (!npos) {
		usage(stderr);
		return EXIT_USAGE;
	}
	for (k = 0; k < ARRAY_SIZE(cmds) && !cmd; k++)
		if (!strcmp(pos[0], cmds[k].name))
			cmd = &cmds[k];
	if (!cmd)
		return usage_error("unknown command '%s'", pos[0]);
	if (npos - 1 > cmd->max_args)
		return usage_error("unexpected argument '%s' for '%s'",
				   pos[cmd->max_args + 1], cmd->name);

	/* A wrong argument is a usage error, whether slubguard is loaded or not. */
	if (cmd->fn == cmd_watch) {
		unsigned long long secs, count;

		if (watch_args(npos - 1, pos + 1, &secs, &count))
			return EXIT_USAGE;
	}
	env = getenv(ENV_ROOT);
	if (env && *env)
		root = env;
	if (cmd->needs_module && check_module())
		return EXIT_FAIL;

	ret = cmd->fn(cmd, npos - 1, pos + 1);
	if (fflush(stdout) || ferror(stdout)) {
		err("error writing output: %s", strerror(errno));
		ret = EXIT_FAIL;
	}
	return ret;
}
