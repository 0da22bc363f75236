// SPDX-License-Identifier: GPL-2.0
#include "text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_SIZES_H

#define NCACHE 4096 /* glyphs, open addressing */
#define NSIZES 48
#define DPI 96 /* as libgd's GD_RESOLUTION: 12 pt is a 16 px em */

struct glyph {
	unsigned gi;
	short pt2; /* size in half points; 0: empty slot */
	short w, h, left, top;
	long adv; /* 26.6 */
	unsigned char *bm;
};

struct pm_font {
	FT_Library lib;
	FT_Face face;
	struct {
		short pt2;
		FT_Size size;
	} sizes[NSIZES];
	int nsizes, active;
	int kern;
	struct glyph cache[NCACHE];
};

struct pm_font *pm_font_open(const char *path)
{
	struct pm_font *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->active = -1;
	if (FT_Init_FreeType(&f->lib)) {
		free(f);
		return NULL;
	}
	if (FT_New_Face(f->lib, path, 0, &f->face) ||
	    FT_Select_Charmap(f->face, FT_ENCODING_UNICODE)) {
		if (f->face)
			FT_Done_Face(f->face);
		FT_Done_FreeType(f->lib);
		free(f);
		return NULL;
	}
	f->kern = FT_HAS_KERNING(f->face);
	return f;
}

void pm_font_close(struct pm_font *f)
{
	if (!f)
		return;
	for (int i = 0; i < NCACHE; i++)
		free(f->cache[i].bm);
	FT_Done_Face(f->face); /* and its sizes */
	FT_Done_FreeType(f->lib);
	free(f);
}

/* make pt2 the face's active size; -1 when it cannot be */
static int use_size(struct pm_font *f, int pt2)
{
	int i;

	if (f->active >= 0 && f->sizes[f->active].pt2 == pt2)
		return 0;
	for (i = 0; i < f->nsizes; i++)
		if (f->sizes[i].pt2 == pt2)
			break;
	if (i == f->nsizes) {
		if (f->nsizes == NSIZES) {
			/* reuse the oldest */
			i = 0;
			FT_Done_Size(f->sizes[0].size);
			memmove(&f->sizes[0], &f->sizes[1], sizeof(f->sizes[0]) * (NSIZES - 1));
			i = NSIZES - 1;
		} else {
			f->nsizes++;
		}
		if (FT_New_Size(f->face, &f->sizes[i].size)) {
			f->nsizes = i;
			f->active = -1;
			return -1;
		}
		f->sizes[i].pt2 = (short)pt2;
		FT_Activate_Size(f->sizes[i].size);
		if (FT_Set_Char_Size(f->face, 0, (FT_F26Dot6)pt2 * 32, DPI, DPI)) {
			f->active = -1;
			return -1;
		}
	} else {
		FT_Activate_Size(f->sizes[i].size);
	}
	f->active = i;
	return 0;
}

/* the cached glyph gi at pt2, rendering it on first use; NULL on error */
static const struct glyph *glyph(struct pm_font *f, unsigned gi, int pt2)
{
	unsigned h = (gi * 2654435761u ^ (unsigned)pt2 * 40503u) % NCACHE;
	struct glyph *g = NULL;
	FT_GlyphSlot slot;

	for (int probe = 0; probe < 16; probe++) {
		struct glyph *c = &f->cache[(h + probe) % NCACHE];

		if (c->pt2 == pt2 && c->gi == gi)
			return c;
		if (!c->pt2) {
			g = c;
			break;
		}
	}
	if (!g) /* a crowded neighbourhood: evict */
		g = &f->cache[h];
	if (use_size(f, pt2) || FT_Load_Glyph(f->face, gi, FT_LOAD_NO_HINTING | FT_LOAD_RENDER))
		return NULL;
	slot = f->face->glyph;
	free(g->bm);
	memset(g, 0, sizeof(*g));
	g->w = (short)slot->bitmap.width;
	g->h = (short)slot->bitmap.rows;
	g->left = (short)slot->bitmap_left;
	g->top = (short)slot->bitmap_top;
	g->adv = (long)(slot->linearHoriAdvance >> 10); /* 16.16 to 26.6 */
	if (g->w > 0 && g->h > 0) {
		g->bm = malloc((size_t)g->w * (size_t)g->h);
		if (!g->bm)
			return NULL;
		for (int y = 0; y < g->h; y++)
			memcpy(g->bm + (size_t)y * g->w,
			       slot->bitmap.buffer + (ptrdiff_t)y * slot->bitmap.pitch,
			       (size_t)g->w);
	}
	g->gi = gi;
	g->pt2 = (short)pt2;
	return g;
}

/* next code point of UTF-8 s, advancing it; 0 at the end */
static unsigned next_cp(const unsigned char **s)
{
	const unsigned char *p = *s;
	unsigned c = *p;
	int n;

	if (!c)
		return 0;
	n = c < 0x80		 ? 0
	    : (c & 0xe0) == 0xc0 ? 1
	    : (c & 0xf0) == 0xe0 ? 2
	    : (c & 0xf8) == 0xf0 ? 3
				 : -1;
	if (n < 0) {
		*s = p + 1;
		return 0xfffd;
	}
	c = n ? c & (0x3f >> n) : c;
	for (int i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*s = p + i;
			return 0xfffd;
		}
		c = c << 6 | (p[i] & 0x3f);
	}
	*s = p + n + 1;
	return c;
}

static int pt2_of(double pt)
{
	int pt2 = (int)lround(pt * 2);

	return pt2 < 2 ? 2 : pt2 > 400 ? 400 : pt2;
}

/* lay out s; call fn for each glyph at its pen position (26.6); returns the advance */
static long layout(struct pm_font *f, int pt2, const char *s,
		   void (*fn)(void *, const struct glyph *, long), void *arg)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned cp, prev = 0;
	long pen = 0;

	while ((cp = next_cp(&p))) {
		unsigned gi = FT_Get_Char_Index(f->face, cp);
		const struct glyph *g;

		if (f->kern && prev && gi && !use_size(f, pt2)) {
			FT_Vector k;

			if (!FT_Get_Kerning(f->face, prev, gi, FT_KERNING_UNFITTED, &k))
				pen += k.x;
		}
		g = glyph(f, gi, pt2);
		if (!g)
			continue;
		if (fn)
			fn(arg, g, pen);
		pen += g->adv;
		prev = gi;
	}
	return pen;
}

int pm_font_width(struct pm_font *f, double pt, const char *s)
{
	return (int)((layout(f, pt2_of(pt), s, NULL, NULL) + 32) >> 6);
}

struct blit {
	gdImagePtr im;
	int x, y, up;
	int r, g, b;
	int cx0, cy0, cx1, cy1; /* clip */
};

static void put(struct blit *bl, int x, int y, unsigned a)
{
	int *px, d;

	if (x < bl->cx0 || x > bl->cx1 || y < bl->cy0 || y > bl->cy1)
		return;
	px = &bl->im->tpixels[y][x];
	d = *px;
	*px = gdTrueColor((bl->r * (int)a + gdTrueColorGetRed(d) * (255 - (int)a) + 127) / 255,
			  (bl->g * (int)a + gdTrueColorGetGreen(d) * (255 - (int)a) + 127) / 255,
			  (bl->b * (int)a + gdTrueColorGetBlue(d) * (255 - (int)a) + 127) / 255);
}

static void draw_glyph(void *arg, const struct glyph *g, long pen)
{
	struct blit *bl = arg;
	int ox = (int)((pen + 32) >> 6);

	for (int v = 0; v < g->h; v++)
		for (int u = 0; u < g->w; u++) {
			unsigned a = g->bm[(size_t)v * g->w + u];
			int dx = ox + g->left + u, dy = v - g->top;

			if (!a)
				continue;
			/* reading upwards: right of the pen is up, below the baseline is right */
			if (bl->up)
				put(bl, bl->x + dy, bl->y - dx, a);
			else
				put(bl, bl->x + dx, bl->y + dy, a);
		}
}

void pm_font_draw(struct pm_font *f, gdImagePtr im, double pt, int rgb, int x, int y, const char *s,
		  int up)
{
	struct blit bl = {
	    im, x, y, up, gdTrueColorGetRed(rgb), gdTrueColorGetGreen(rgb), gdTrueColorGetBlue(rgb),
	    0,	0, 0, 0};

	gdImageGetClip(im, &bl.cx0, &bl.cy0, &bl.cx1, &bl.cy1);
	layout(f, pt2_of(pt), s, draw_glyph, &bl);
}
