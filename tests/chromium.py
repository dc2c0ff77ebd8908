"""Headless Chromium driven through the DevTools protocol over a pipe (--remote-debugging-pipe): load a
page, see every request it makes (even one its Content-Security-Policy then blocks), evaluate
JavaScript in it, screenshot parts of it. Debian's chromium, with the flags that keep it off the
network (on this closed network it hangs without them) and a fresh profile."""
from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import subprocess
import tempfile
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]
# Screenshots the browser tests leave for people to look at.
ARTIFACTS = Path(os.environ.get("KUMKM_TEST_ARTIFACTS", Path(__file__).resolve().parent.parent / "test-artifacts"))


class Browser:
    """One page in a headless Chromium; `with Browser() as b: b.open(path)`."""

    def __init__(self, width: int = 1440, height: int = 1000, seconds: float = 60):
        self.width, self.height, self.seconds = width, height, seconds
        self.events: list[dict] = []
        self.sent = 0
        self.buffer = b""
        self.session: str | None = None

    def __enter__(self) -> "Browser":
        self.profile = tempfile.TemporaryDirectory()
        # Chromium reads commands on fd 3 and writes replies on fd 4: our pipe ends are moved above them
        commands_in, commands_out = (fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in os.pipe())
        replies_in, replies_out = (fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in os.pipe())

        def child_fds() -> None:
            os.dup2(commands_in, 3)
            os.dup2(replies_out, 4)

        self.process = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={self.profile.name}", "--remote-debugging-pipe", "about:blank"],
            pass_fds=(3, 4), preexec_fn=child_fds, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(commands_in)
        os.close(replies_out)
        self.commands, self.replies = commands_out, replies_in
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.send("Browser.close")
            self.process.wait(timeout=20)
        except (OSError, TimeoutError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        finally:
            os.close(self.commands)
            os.close(self.replies)
            self.profile.cleanup()

    # --- the protocol: JSON messages separated by NUL bytes ------------------------------------------

    def send(self, method: str, params: dict | None = None, page: bool = False) -> dict:
        self.sent += 1
        message = {"id": self.sent, "method": method, "params": params or {}}
        if page:
            message["sessionId"] = self.session
        os.write(self.commands, json.dumps(message).encode() + b"\0")
        while True:
            reply = self.receive()
            if reply.get("id") == self.sent:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self.events.append(reply)

    def receive(self) -> dict:
        deadline = time.monotonic() + self.seconds
        while b"\0" not in self.buffer:
            if not select.select([self.replies], [], [], max(deadline - time.monotonic(), 0))[0]:
                raise TimeoutError(f"Chromium said nothing for {self.seconds} s")
            chunk = os.read(self.replies, 1 << 16)
            if not chunk:
                raise EOFError("Chromium closed the pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    # --- the page -------------------------------------------------------------------------------------

    def open(self, path: Path) -> None:
        """Loads the file in a fresh tab, `width` pixels wide, and waits for its load event."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Network", "Page"):
            self.send(f"{domain}.enable", page=True)
        self.send("Emulation.setDeviceMetricsOverride", {"width": self.width, "height": self.height,
                                                         "deviceScaleFactor": 1, "mobile": False}, page=True)
        self.send("Page.navigate", {"url": path.resolve().as_uri()}, page=True)
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            self.events.append(self.receive())

    def requests(self) -> list[str]:
        """Every URL the page asked for, itself included."""
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, page=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def screenshot(self, selector: str, path: Path) -> None:
        """A PNG of the element the CSS selector picks, whole, however far down the page."""
        box = self.evaluate(f"(() => {{ const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
                            " return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height}; })()")
        shot = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                    "clip": {**box, "scale": 1}}, page=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))
