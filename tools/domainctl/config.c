// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "config.h"
#include "names.h"
#include "params.h"
#include "xalloc.h"

/* Longer files are surely not a domains.conf; refuse rather than slurp. */
#define CONFIG_MAX_BYTES	(1 << 20)

struct token {
	const char *start;
	size_t len;
};

static bool is_blank(char c)
{
	/* '\r' too, so that a file edited on Windows still parses. */
	return c == ' ' || c == '\t' || c == '\r';
}

/* Where the comment of @line starts: a '#' at the start of a word. */
static size_t comment_start(const char *line, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (line[i] == '#' && (i == 0 || is_blank(line[i - 1])))
			return i;
	return len;
}

/*
 * Split @line (comment already cut off) into words.  Returns the number of
 * words; only the first @max are stored.
 */
static size_t split_words(const char *line, size_t len, struct token *words,
			  size_t max)
{
	size_t n = 0, i = 0;

	while (i < len) {
		size_t start;

		while (i < len && is_blank(line[i]))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && !is_blank(line[i]))
			i++;
		if (n < max) {
			words[n].start = line + start;
			words[n].len = i - start;
		}
		n++;
	}
	return n;
}

static char *token_dup(const struct token *t)
{
	char *s = xcalloc(1, t->len + 1);

	memcpy(s, t->start, t->len);
	return s;
}

static struct config_entry *config_add(struct config *cfg, unsigned line,
				       const char *name)
{
	struct config_entry *e;

	if (cfg->count == cfg->capacity) {
		cfg->capacity = cfg->capacity ? 2 * cfg->capacity : 16;
		cfg->entries = xreallocarray(cfg->entries, cfg->capacity,
					     sizeof(*cfg->entries));
	}
	e = &cfg->entries[cfg->count++];
	memset(e, 0, sizeof(*e));
	e->line = line;
	e->usable = true;
	snprintf(e->name, sizeof(e->name), "%s", name);
	return e;
}

const struct config_entry *config_find(const struct config *cfg,
				       const char *name)
{
	for (size_t i = 0; i < cfg->count; i++)
		if (strcmp(cfg->entries[i].name, name) == 0)
			return &cfg->entries[i];
	return NULL;
}

void config_entry_reject(struct config *cfg, struct config_entry *entry,
			 const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		xalloc_die();
	va_end(ap);
	diag_add(&cfg->problems, entry->line, NULL, "%s", msg);
	free(msg);
	entry->usable = false;
}

/* A control character would garble messages and can only be a mistake. */
static bool line_has_control_char(const char *line, size_t len, char *found)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
			*found = (char)c;
			return true;
		}
	}
	return false;
}

/*
 * One "key=value" word after the image: a restart setting, a limit or a
 * parameter.
 */
static void parse_setting(struct config *cfg, struct config_entry *e,
			  const struct token *word)
{
	char *text = token_dup(word);
	char *eq = strchr(text, '=');
	size_t key_len = eq ? (size_t)(eq - text) : 0;
	char why[256];
	int setting = eq ? restart_setting_from_config_key(text, key_len) : -1;
	int limit = eq ? limit_setting_from_config_key(text, key_len) : -1;

	if (setting >= 0) {
		*eq = '\0';		/* the key names the setting */
		if (!restart_opts_set(&e->restart, (enum restart_setting)setting,
				      text, eq + 1, why, sizeof(why))) {
			diag_add(&cfg->problems, e->line, NULL, "%s", why);
			e->usable = false;
		}
	} else if (limit >= 0) {
		*eq = '\0';
		if (!limit_opts_set(&e->limits, (enum limit_setting)limit,
				    text, eq + 1, why, sizeof(why))) {
			diag_add(&cfg->problems, e->line, NULL, "%s", why);
			e->usable = false;
		}
	} else if (!params_append(e->params, text, why, sizeof(why))) {
		diag_add(&cfg->problems, e->line, NULL, "%s", why);
		e->usable = false;
	}
	free(text);
}

static void parse_line(struct config *cfg, unsigned line_no, const char *line,
		       size_t len)
{
	/* Parameters are at most 255 bytes, so far fewer words than this. */
	struct token words[256];
	size_t n;
	const struct config_entry *earlier;
	struct config_entry *e;
	char name[DC_NAME_MAX];
	char bad;

	len = comment_start(line, len);
	n = split_words(line, len, words, 256);
	if (n == 0)
		return;
	if (line_has_control_char(line, len, &bad)) {
		diag_add(&cfg->problems, line_no, NULL,
			 "control character 0x%02x in line", (unsigned char)bad);
		return;
	}
	if (n > 256) {
		diag_add(&cfg->problems, line_no, NULL, "too many words (%zu)", n);
		return;
	}
	if (words[0].len > DOMAIN_NAME_MAX_CHARS) {
		diag_add(&cfg->problems, line_no, NULL,
			 "domain name '%.*s' is too long (at most %d characters)",
			 (int)words[0].len, words[0].start, DOMAIN_NAME_MAX_CHARS);
		return;
	}
	memcpy(name, words[0].start, words[0].len);
	name[words[0].len] = '\0';
	if (!domain_name_valid(name)) {
		diag_add(&cfg->problems, line_no, NULL,
			 "invalid domain name '%s' (use %s)", name,
			 DOMAIN_NAME_RULE);
		return;
	}
	earlier = config_find(cfg, name);
	if (earlier) {
		diag_add(&cfg->problems, line_no, NULL,
			 "domain '%s' is already configured on line %u",
			 name, earlier->line);
		return;
	}

	e = config_add(cfg, line_no, name);
	if (n < 2) {
		config_entry_reject(cfg, e, "missing IMAGE after domain name '%s'",
				    name);
		return;
	}
	if (words[1].len >= PATH_MAX) {
		config_entry_reject(cfg, e, "image path is too long");
		return;
	}
	e->image = token_dup(&words[1]);
	/* "log level=3": the image was forgotten, not named "level=3". */
	if (strchr(e->image, '=') && !strchr(e->image, '/')) {
		config_entry_reject(cfg, e,
				    "missing IMAGE: '%s' looks like a parameter",
				    e->image);
		return;
	}
	for (size_t i = 2; i < n; i++)
		parse_setting(cfg, e, &words[i]);
}

void config_parse(struct config *cfg, const char *text, size_t len)
{
	unsigned line_no = 0;
	size_t pos = 0;

	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t line_len = nl ? (size_t)(nl - line) : len - pos;

		line_no++;
		pos += line_len + (nl ? 1 : 0);
		if (memchr(line, '\0', line_len)) {
			diag_add(&cfg->problems, line_no, NULL,
				 "NUL byte in line");
			continue;
		}
		parse_line(cfg, line_no, line, line_len);
	}
}

int config_read_file(struct config *cfg, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0, cap = 4096;
	char *text;

	if (fd < 0)
		return -errno;
	text = xcalloc(1, cap);
	for (;;) {
		ssize_t got;

		if (len == cap) {
			if (cap >= CONFIG_MAX_BYTES) {
				free(text);
				close(fd);
				return -EFBIG;
			}
			cap *= 2;
			text = xreallocarray(text, cap, 1);
		}
		got = read(fd, text + len, cap - len);
		if (got < 0) {
			int err = errno;

			if (err == EINTR)
				continue;
			free(text);
			close(fd);
			return -err;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	close(fd);
	config_parse(cfg, text, len);
	free(text);
	return 0;
}

void config_free(struct config *cfg)
{
	for (size_t i = 0; i < cfg->count; i++)
		free(cfg->entries[i].image);
	free(cfg->entries);
	diag_free(&cfg->problems);
	memset(cfg, 0, sizeof(*cfg));
}
