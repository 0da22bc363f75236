#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# make vm-e2e's workload on a guest (root): bounded, for a 1 GiB machine. Empty files on
# a private tmpfs (inode and dentry slab: RECLAIMABLE), pipes filled with 1 MiB each
# (UNMOVABLE), an anonymous buffer touched page by page (MOVABLE), all released, then
# compaction. Prints what it did.
import fcntl, mmap, os, subprocess, sys, tempfile

# on a fresh 1 GiB guest these use up the free RECLAIMABLE and UNMOVABLE pools, so
# allocations fall back (extfrag events); later runs find the pools grown
files = int(sys.argv[1]) if len(sys.argv) > 1 else 60000
npipes = int(sys.argv[2]) if len(sys.argv) > 2 else 96
anon_mb = int(sys.argv[3]) if len(sys.argv) > 3 else 128
F_SETPIPE_SZ = 1031

d = tempfile.mkdtemp(prefix="e2e-load.")
subprocess.run(["mount", "-t", "tmpfs", "-o", "nr_inodes=0,mode=0700", "e2e-load", d], check=True)
try:
    for i in range(files):
        open(os.path.join(d, str(i)), "w").close()
    pipes = []
    for i in range(npipes):
        r, w = os.pipe2(os.O_NONBLOCK)
        fcntl.fcntl(w, F_SETPIPE_SZ, 1 << 20)
        try:
            while True:
                os.write(w, b"x" * 65536)
        except BlockingIOError:
            pass
        pipes.append((r, w))
    buf = mmap.mmap(-1, anon_mb << 20)
    for off in range(0, anon_mb << 20, 4096):
        buf[off] = 1
    buf.close()
    for r, w in pipes:
        os.close(r)
        os.close(w)
finally:
    subprocess.run(["umount", d], check=True)
    os.rmdir(d)
with open("/proc/sys/vm/compact_memory", "w") as f:
    f.write("1\n")
print(f"workload: {files} files, {npipes} MiB in pipes, {anon_mb} MiB anonymous, compaction")
