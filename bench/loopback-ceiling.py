#!/usr/bin/env python3
"""The ceiling for bench/registry-bench.sh's download figure: the same curl download of a file of random bytes over
127.0.0.1, served by the least an HTTP server can do (headers, then os.sendfile), next to dd reading the same file.
Usage: bench/loopback-ceiling.py [FILE_MB=256] [REPEATS=5]"""
import os, socket, statistics, subprocess, sys, tempfile, threading

mb = int(sys.argv[1]) if len(sys.argv) > 1 else 256
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
size = mb * 1024 * 1024

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "big.bin")
    with open(path, "wb") as f:
        for _ in range(mb):
            f.write(os.urandom(1024 * 1024))
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def serve():
        while True:
            conn, _ = server.accept()
            with conn:
                request = b""
                while b"\r\n\r\n" not in request:
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    request += chunk
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % size)
                with open(path, "rb") as f:
                    sent = 0
                    while sent < size:
                        sent += os.sendfile(conn.fileno(), f.fileno(), sent, size - sent)

    threading.Thread(target=serve, daemon=True).start()

    def download():
        out = subprocess.run(["curl", "-fsS", "--max-time", "120", "-o", "/dev/null", "-w",
                              "%{size_download} %{time_total}", f"http://127.0.0.1:{port}/big.bin"],
                             check=True, capture_output=True, text=True, timeout=150).stdout.split()
        assert int(out[0]) == size, out
        return size / float(out[1]) / 1e6

    def disk_read():
        out = subprocess.run(["dd", f"if={path}", "of=/dev/null", "bs=1M"], check=True, capture_output=True,
                             text=True, timeout=120, env={**os.environ, "LC_ALL": "C"}).stderr
        return size / float(out.strip().splitlines()[-1].split()[-4]) / 1e6

    disk_read(), download()  # warm the page cache
    disk = [disk_read() for _ in range(repeats)]
    http = [download() for _ in range(repeats)]
    print(f"disk read (dd, page cache): median {statistics.median(disk):.0f} MB/s  {[round(d) for d in disk]}")
    print(f"bare sendfile HTTP + curl:  median {statistics.median(http):.0f} MB/s  {[round(h) for h in http]}")
    print(f"ratio: {statistics.median(http) / statistics.median(disk):.2f}")
