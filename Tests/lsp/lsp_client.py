"""A minimal JSON-RPC 2.0 / LSP client over a subprocess's stdio (Content-Length framing).

Used by Tests/lsp/test_lsp.py and Benchmarks/lsp_latency.py to drive `inquest lsp` as an
editor would. Standard library only.
"""
import json
import os
import select
import subprocess
import time


class LSPClient:
    def __init__(self, command, cwd):
        self.process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE)
        self.buffer = b""
        self.next_id = 1
        self.notifications = []

    def send(self, message):
        body = json.dumps(message).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def request(self, method, params, timeout=30):
        request_id = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while True:
            message = self.receive(deadline)
            if message.get("id") == request_id and "method" not in message:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result")
            self.notifications.append(message)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_for(self, method, predicate=lambda params: True, timeout=30):
        """The first notification `method` (queued or new) whose params satisfy `predicate`."""
        for index, message in enumerate(self.notifications):
            if message.get("method") == method and predicate(message.get("params")):
                del self.notifications[index]
                return message["params"]
        deadline = time.monotonic() + timeout
        while True:
            message = self.receive(deadline)
            if message.get("method") == method and predicate(message.get("params")):
                return message["params"]
            self.notifications.append(message)

    def receive(self, deadline):
        while True:
            header_end = self.buffer.find(b"\r\n\r\n")
            if header_end >= 0:
                headers = self.buffer[:header_end].decode("ascii").split("\r\n")
                length = next(int(h.split(":", 1)[1]) for h in headers if h.lower().startswith("content-length:"))
                start = header_end + 4
                if len(self.buffer) >= start + length:
                    body = self.buffer[start:start + length]
                    self.buffer = self.buffer[start + length:]
                    return json.loads(body)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no message from the server in time")
            ready, _, _ = select.select([self.process.stdout], [], [], remaining)
            if ready:
                chunk = os.read(self.process.stdout.fileno(), 65536)
                if not chunk:
                    raise EOFError("the server closed its output: " + self.process.stderr.read().decode("utf-8", "replace"))
                self.buffer += chunk

    def close(self):
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            try:
                stream.close()
            except OSError:
                pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
