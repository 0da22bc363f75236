// SPDX-License-Identifier: GPL-2.0
/*
 * pngprobe: test helper for the fragmon-plot bats tests.
 *   pngprobe FILE                            prints "WIDTH HEIGHT"
 *   pngprobe FILE ink X0 Y0 X1 Y1            share (0..1) of pixels that are not near white
 *   pngprobe FILE colour X0 Y0 X1 Y1         share of coloured pixels (not grey: data, not
 *                                            text or grid lines)
 *   pngprobe FILE rgb RRGGBB X0 Y0 X1 Y1     share of pixels of exactly that colour
 */
#include <gd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	FILE *f;
	gdImagePtr im;
	long hit = 0, all = 0;
	int a = 3, want = 0;

	if (argc != 2 && argc != 7 && argc != 8) {
		fprintf(stderr, "usage: pngprobe FILE [ink|colour|rgb RRGGBB] X0 Y0 X1 Y1\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	im = gdImageCreateFromPng(f);
	fclose(f);
	if (!im) {
		fprintf(stderr, "%s: not a PNG\n", argv[1]);
		return 1;
	}
	if (argc == 2) {
		printf("%d %d\n", gdImageSX(im), gdImageSY(im));
		gdImageDestroy(im);
		return 0;
	}
	if (!strcmp(argv[2], "rgb")) {
		if (argc != 8)
			return 2;
		want = (int)strtol(argv[3], NULL, 16);
		a = 4;
	}
	{
		int x0 = atoi(argv[a]), y0 = atoi(argv[a + 1]), x1 = atoi(argv[a + 2]),
		    y1 = atoi(argv[a + 3]);

		for (int y = y0; y < y1 && y < gdImageSY(im); y++)
			for (int x = x0; x < x1 && x < gdImageSX(im); x++) {
				int p = gdImageGetTrueColorPixel(im, x, y);
				int r = gdTrueColorGetRed(p), g = gdTrueColorGetGreen(p),
				    b = gdTrueColorGetBlue(p);
				int mx = r > g ? (r > b ? r : b) : (g > b ? g : b);
				int mn = r < g ? (r < b ? r : b) : (g < b ? g : b);

				all++;
				if (!strcmp(argv[2], "ink"))
					hit += r < 235 || g < 235 || b < 235;
				else if (!strcmp(argv[2], "colour"))
					hit += mx - mn > 40;
				else
					hit += ((r << 16) | (g << 8) | b) == want;
			}
	}
	printf("%.4f\n", all ? (double)hit / (double)all : 0.0);
	gdImageDestroy(im);
	return 0;
}
