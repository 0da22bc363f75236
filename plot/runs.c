// SPDX-License-Identifier: GPL-2.0
#include "runs.h"

#include <stdio.h>
#include <string.h>

#include "input.h"
#include "warnings.h"

void pm_default_label(const char *src, char *out, size_t cap)
{
	char tmp[512], *base, *dot;
	size_t n;

	if (!strcmp(src, "-")) {
		snprintf(out, cap, "stdin");
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s", src);
	if ((dot = strpbrk(tmp, "?#")) && strstr(tmp, "://"))
		*dot = '\0';
	n = strlen(tmp);
	while (n > 1 && tmp[n - 1] == '/')
		tmp[--n] = '\0';
	base = strrchr(tmp, '/') ? strrchr(tmp, '/') + 1 : tmp;
	if (!strncmp(base, "fragmentation_data.", 19) && base > tmp + 1) {
		char *prev;

		base[-1] = '\0';
		prev = strrchr(tmp, '/');
		if (prev && !strstr(prev - 2 > tmp ? prev - 2 : tmp, "://"))
			base = prev + 1;
		else if (!prev)
			base = tmp;
	}
	snprintf(out, cap, "%s", base);
	if ((dot = strstr(out, ".json")))
		*dot = '\0';
	if (!out[0])
		snprintf(out, cap, "run");
}

int pm_load_run(const char *src, const char *label, const struct pm_fetch_opts *fo,
		struct pm_run **out)
{
	struct pm_run *r = pm_run_new(src);
	char err[768];
	int rc;

	*out = NULL;
	if (!r) {
		fprintf(stderr, "fragmon-plot: out of memory\n");
		return EXIT_RUNTIME;
	}
	if (label)
		snprintf(r->label, sizeof(r->label), "%s", label);
	else
		pm_default_label(src, r->label, sizeof(r->label));
	rc = pm_load(src, r, fo, err, sizeof(err), NULL);
	if (rc) {
		fprintf(stderr, "fragmon-plot: %s: %s\n", src, err);
		pm_run_free(r);
		return rc;
	}
	pm_warn_stderr(r, src);
	*out = r;
	return 0;
}

int pm_load_side(const struct pm_group *g, const char *label, const struct pm_fetch_opts *fo,
		 struct pm_side *side)
{
	memset(side, 0, sizeof(*side));
	if (label)
		snprintf(side->label, sizeof(side->label), "%s", label);
	else
		pm_default_label(g->files[0], side->label, sizeof(side->label));
	for (int i = 0; i < g->n; i++) {
		char lab[PM_STR];
		int rc;

		if (i)
			snprintf(lab, sizeof(lab), "%.*s (%d)", PM_STR - 8, side->label, i + 1);
		else
			snprintf(lab, sizeof(lab), "%s", side->label);
		rc = pm_load_run(g->files[i], lab, fo, &side->run[i]);
		if (rc) {
			pm_side_free(side);
			return rc;
		}
		side->n++;
	}
	return 0;
}

void pm_side_free(struct pm_side *side)
{
	for (int i = 0; i < side->n; i++)
		pm_run_free(side->run[i]);
	side->n = 0;
}

void pm_unique_labels(struct pm_side *sides, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = 0; j < i; j++)
			if (!strcmp(sides[i].label, sides[j].label)) {
				size_t l = strlen(sides[i].label);

				snprintf(sides[i].label + (l > PM_STR - 6 ? PM_STR - 6 : l), 6,
					 " #%d", i + 1);
				if (sides[i].n)
					snprintf(sides[i].run[0]->label,
						 sizeof(sides[i].run[0]->label), "%s",
						 sides[i].label);
				j = -1; /* check the new name again */
			}
}
