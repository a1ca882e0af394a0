#!/usr/bin/python3
# serve.py DIR RESULT: serves DIR/page.html on 127.0.0.1, on a free port that it prints first,
# and writes the body of the page's POST /result to RESULT (whole, by rename).
import http.server
import os
import sys

page_dir, result = sys.argv[1], sys.argv[2]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = open(os.path.join(page_dir, "page.html"), "rb").read()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(result + ".tmp", "wb") as f:
            f.write(data)
        os.rename(result + ".tmp", result)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
