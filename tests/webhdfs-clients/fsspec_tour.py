"""Drives PyHDFS's WebHDFS with Debian's python3-fsspec (its `webhdfs` file system), as pandas and dask do.

usage: /usr/bin/python3 fsspec_tour.py HOST PORT USER ROOT LOCAL_DIR FOREIGN_PATH FOREIGN_SHA256

Under ROOT it makes directories, puts LOCAL_DIR/in.bin (multi-block), lists, reads, gets, moves, sizes and
removes; it reads FOREIGN_PATH (written by `pyhdfs put`) and checks its SHA-256. Prints one JSON object with what
it saw; exits non-zero on the first failure (with the traceback), so the caller sees the cause.
"""
import hashlib
import json
import os
import sys

import fsspec

host, port, user, root, local_dir, foreign_path, foreign_sha = sys.argv[1:8]
fs = fsspec.filesystem("webhdfs", host=host, port=int(port), user=user)
source = os.path.join(local_dir, "in.bin")
with open(source, "rb") as f:
    data = f.read()
result = {}

fs.makedirs(f"{root}/a/b", exist_ok=True)
fs.mkdir(f"{root}/c")
fs.put(source, f"{root}/a/big.bin")
result["ls"] = sorted(os.path.basename(p.rstrip("/")) for p in fs.ls(f"{root}/a", detail=False))
info = fs.info(f"{root}/a/big.bin")
result["info"] = {"type": info["type"], "size": info["size"]}
result["isdir"] = fs.isdir(f"{root}/a/b")
result["cat_ok"] = fs.cat(f"{root}/a/big.bin") == data
with fs.open(f"{root}/a/big.bin", "rb") as f:
    f.seek(len(data) // 2)
    result["range_ok"] = f.read(1000) == data[len(data) // 2:len(data) // 2 + 1000]
fs.get(f"{root}/a/big.bin", os.path.join(local_dir, "out.bin"))
with open(os.path.join(local_dir, "out.bin"), "rb") as f:
    result["get_ok"] = f.read() == data
fs.pipe(f"{root}/a/small.txt", b"hello from fsspec\n")
fs.mv(f"{root}/a/big.bin", f"{root}/moved.bin")
result["moved_exists"] = fs.exists(f"{root}/moved.bin")
result["old_exists"] = fs.exists(f"{root}/a/big.bin")
result["du"] = fs.du(root)
result["content_summary"] = fs.content_summary(root)["length"]
fs.rm(f"{root}/a/b", recursive=True)
fs.rm(f"{root}/c", recursive=True)
result["after_rm"] = sorted(os.path.basename(p.rstrip("/")) for p in fs.ls(root, detail=False))
result["home"] = fs.home_directory()
try:
    fs.info(f"{root}/missing")
    result["missing"] = "no error"
except FileNotFoundError:
    result["missing"] = "FileNotFoundError"
result["foreign_ok"] = hashlib.sha256(fs.cat(foreign_path)).hexdigest().upper() == foreign_sha.upper()
print(json.dumps(result))
