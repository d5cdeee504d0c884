#!/usr/bin/env python3
"""Runs the lab pages' self-tests in headless Chromium, in real time.

Serves the built book on the loopback address, opens every lab page of both
editions with ?selftest, and waits until the page's title says
`selftest <page>: ok …` or `… FAIL …` (or the time runs out). Exits 1 unless
every page says ok. Chromium is driven through its DevTools protocol over a
WebSocket (a minimal client below, standard library only), so timings in the
titles are real, not virtual.

Usage: selftest.py [--book book/book] [--screenshots DIR] [--timeout SECONDS]
With --screenshots, also saves a picture of each English page in use.
"""
import argparse
import base64
import functools
import http.server
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

PAGES = ["lab-playground", "lab-sine", "lab-cnn"]


class WebSocket:
    """Just enough of RFC 6455 for the DevTools protocol: text frames."""

    def __init__(self, url):
        rest = url.split("://", 1)[1]
        hostport, path = rest.split("/", 1)
        host, port = hostport.split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                f"GET /{path} HTTP/1.1\r\nHost: {hostport}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise ConnectionError("DevTools closed the connection")
            head += chunk
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise ConnectionError(head.decode(errors="replace"))
        self.next_id = 0

    def _read(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("DevTools closed the connection")
            data += chunk
        return data

    def _send(self, opcode, data):
        header = bytearray([0x80 | opcode])
        n = len(data)
        if n < 126:
            header.append(0x80 | n)
        elif n < 1 << 16:
            header.append(0x80 | 126)
            header += struct.pack(">H", n)
        else:
            header.append(0x80 | 127)
            header += struct.pack(">Q", n)
        mask = os.urandom(4)
        header += mask
        body = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        self.sock.sendall(bytes(header) + body)

    def receive(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            opcode, n = b0 & 0x0F, b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            mask = self._read(4) if b1 & 0x80 else None
            payload = self._read(n)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if opcode == 8:
                raise ConnectionError("DevTools closed the WebSocket")
            if opcode == 9:
                self._send(10, payload)
                continue
            message += payload
            if b0 & 0x80:
                return json.loads(message)

    def call(self, method, **params):
        self.next_id += 1
        self._send(1, json.dumps({"id": self.next_id, "method": method, "params": params}).encode())
        while True:
            reply = self.receive()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})


def serve(root):
    """A static server for `root` on 127.0.0.1, on a free port."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm"}

        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=root)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("lab: no Chromium found (apt-get install chromium)")


def start_browser(profile):
    args = [
        chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--window-size=1280,1000", f"--user-data-dir={profile}",
        "--remote-debugging-port=0", "about:blank",
    ]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    port_file = os.path.join(profile, "DevToolsActivePort")
    for _ in range(300):
        if os.path.exists(port_file):
            lines = open(port_file).read().split()
            if lines:
                return proc, int(lines[0])
        if proc.poll() is not None:
            sys.exit("lab: Chromium exited: " + proc.stderr.read().decode(errors="replace")[-2000:])
        time.sleep(0.1)
    proc.kill()
    sys.exit("lab: Chromium did not open its DevTools port")


def page_socket(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as r:
        targets = json.load(r)
    page = next(t for t in targets if t.get("type") == "page")
    return WebSocket(page["webSocketDebuggerUrl"])


def title_of(ws):
    return ws.call("Runtime.evaluate", expression="document.title", returnByValue=True)["result"].get("value", "")


def run_selftest(ws, url, timeout):
    ws.call("Page.navigate", url=url)
    deadline = time.time() + timeout
    while time.time() < deadline:
        time.sleep(0.25)
        try:
            title = title_of(ws)
        except (RuntimeError, KeyError):
            continue
        if title.startswith("selftest "):
            return title
        ready = ws.call(
            "Runtime.evaluate",
            expression="document.readyState === 'complete' && !document.querySelector('.lab')",
            returnByValue=True,
        )["result"].get("value")
        if ready:
            return f"(the page has no lab; title {title!r})"
    return f"(no verdict after {timeout} s; title {title_of(ws)!r})"


def screenshot(ws, url, page, path):
    ws.call("Emulation.setDeviceMetricsOverride", width=1280, height=1000, deviceScaleFactor=1, mobile=False)
    ws.call("Page.navigate", url=url)
    time.sleep(1.5)
    setup = {
        # Mid-training: play for a few seconds.
        "lab-playground": "document.querySelector('.lab-play').click()",
        "lab-sine": "document.querySelector('#lab-sine .lab-toolbar button:nth-child(2)').click()",
        # A pixel of block_1.2's fourth map: its window and kernel show below it.
        "lab-cnn": "(function(){var m=document.querySelectorAll('.lab-map')[24]; if(m){var r=m.getBoundingClientRect(); m.dispatchEvent(new MouseEvent('click',{clientX:r.left+r.width*0.4,clientY:r.top+r.height*0.6,bubbles:true}));}})()",
    }[page]
    ws.call("Runtime.evaluate", expression=setup)
    time.sleep(4 if page != "lab-cnn" else 1)
    target = "document.querySelector('.lab-map-row:nth-child(3)')" if page == "lab-cnn" else f"document.getElementById('{page}')"
    ws.call("Runtime.evaluate", expression=f"window.scrollTo(0, {target}.getBoundingClientRect().top + window.scrollY - 60)")
    time.sleep(0.5)
    shot = ws.call("Page.captureScreenshot", format="png")
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot["data"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--book", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "book", "book"))
    parser.add_argument("--screenshots")
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()
    book = os.path.abspath(args.book)
    if not os.path.exists(os.path.join(book, "lab", "pkg", "lab_bg.wasm")):
        sys.exit(f"lab: {book} has no lab/pkg/lab_bg.wasm: run bash lab/build.sh first")
    server = serve(book)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    profile = tempfile.mkdtemp(prefix="lab-chromium-")
    proc, port = start_browser(profile)
    failed = 0
    try:
        ws = page_socket(port)
        ws.call("Page.enable")
        for edition in ("", "es/"):
            for page in PAGES:
                title = run_selftest(ws, f"{base}/{edition}{page}.html?selftest", args.timeout)
                ok = title.startswith("selftest ") and ": ok " in title
                failed += not ok
                print(f"{'ok  ' if ok else 'FAIL'} {edition}{page}: {title}", flush=True)
        if args.screenshots:
            os.makedirs(args.screenshots, exist_ok=True)
            for page in PAGES:
                path = os.path.join(args.screenshots, f"{page}.png")
                screenshot(ws, f"{base}/{page}.html", page, path)
                print(f"wrote {path}")
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        server.shutdown()
        shutil.rmtree(profile, ignore_errors=True)
    if failed:
        print(f"lab: {failed} self-test(s) failed")
        return 1
    print(f"lab: all {2 * len(PAGES)} self-tests ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
