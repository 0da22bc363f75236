#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A hostile HTTP server for fragmon-plot's URL input, on 127.0.0.1 only.

    hostile-http.py PORTFILE VALID_RUN_JSON

Writes the port it listens on to PORTFILE, then serves until killed:
  /ok                   a valid run
  /oversize-chunked     endless chunked JSON, no Content-Length
  /oversize-length      Content-Length: 8 GiB, body never ends
  /gzip-bomb            a small gzip body that inflates to 64 MiB of spaces
  /slow                 a valid prefix, then one byte every 2 s for ever
  /hang                 accepts, reads the request, never answers
  /loop                 redirects to itself
  /loop-a, /loop-b      redirect to each other
  /to-file              redirects to file:///etc/passwd
"""
import gzip
import http.server
import io
import socketserver
import sys
import time

VALID = open(sys.argv[2], "rb").read()
_bomb = io.BytesIO()
with gzip.GzipFile(fileobj=_bomb, mode="wb", compresslevel=6) as z:
    z.write(b'{"events": [')
    for _ in range(64):
        z.write(b" " * (1 << 20))
BOMB = _bomb.getvalue()


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def redirect(self, where):
        self.send_response(302)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        p = self.path
        try:
            if p == "/ok":
                self.send_response(200)
                self.send_header("Content-Length", str(len(VALID)))
                self.end_headers()
                self.wfile.write(VALID)
            elif p == "/oversize-chunked":
                self.send_response(200)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                part = b'{"timestamp": 1, "event_type": "extfrag"},' * 1000
                self.wfile.write(b'%x\r\n{"events": [\r\n' % len(b'{"events": ['))
                while True:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            elif p == "/oversize-length":
                self.send_response(200)
                self.send_header("Content-Length", str(8 << 30))
                self.end_headers()
                self.wfile.write(b'{"events": [')
                while True:
                    self.wfile.write(b" " * 65536)
            elif p == "/gzip-bomb":
                self.send_response(200)
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(BOMB)))
                self.end_headers()
                self.wfile.write(BOMB)
            elif p == "/slow":
                self.send_response(200)
                self.send_header("Content-Length", str(len(VALID) + 100000))
                self.end_headers()
                self.wfile.write(VALID[:20])
                self.wfile.flush()
                while True:
                    time.sleep(2)
                    self.wfile.write(b" ")
                    self.wfile.flush()
            elif p == "/hang":
                time.sleep(3600)
            elif p == "/loop":
                self.redirect("/loop")
            elif p == "/loop-a":
                self.redirect("/loop-b")
            elif p == "/loop-b":
                self.redirect("/loop-a")
            elif p == "/to-file":
                self.redirect("file:///etc/passwd")
            else:
                self.send_error(404)
        except (BrokenPipeError, ConnectionResetError):
            pass


class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients that hang up are the point


srv = S(("127.0.0.1", 0), H)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
import os  # noqa: E402
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
srv.serve_forever()
