// SPDX-License-Identifier: GPL-2.0
/*
 * pngprobe: test helper for the fragmon-plot bats tests.
 *   pngprobe FILE                 prints "WIDTH HEIGHT"
 *   pngprobe FILE X0 Y0 X1 Y1     prints the share (0..1) of pixels in the
 *                                 rectangle that are not (near) white
 */
#include <gd.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	FILE *f;
	gdImagePtr im;
	long ink = 0, all = 0;

	if (argc != 2 && argc != 6) {
		fprintf(stderr, "usage: pngprobe FILE [X0 Y0 X1 Y1]\n");
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
	} else {
		int x0 = atoi(argv[2]), y0 = atoi(argv[3]), x1 = atoi(argv[4]), y1 = atoi(argv[5]);

		for (int y = y0; y < y1 && y < gdImageSY(im); y++)
			for (int x = x0; x < x1 && x < gdImageSX(im); x++) {
				int p = gdImageGetTrueColorPixel(im, x, y);

				all++;
				if (gdTrueColorGetRed(p) < 235 || gdTrueColorGetGreen(p) < 235 ||
				    gdTrueColorGetBlue(p) < 235)
					ink++;
			}
		printf("%.4f\n", all ? (double)ink / (double)all : 0.0);
	}
	gdImageDestroy(im);
	return 0;
}
