#!/usr/bin/env python3
"""Real-browser scenarios for slashchat's web page, run by Tests/WebBrowserTests against the real `server`.

    browser_scenarios.py SCENARIO --web-port W --tcp-port T --artifacts DIR [--control-dir DIR]

Prints `PASS SCENARIO` and exits 0, or prints `FAIL SCENARIO: why` and exits 1. Headless Chromium through
Debian's chromedriver and python3-selenium; `--no-sandbox` because CI runs as root. Every wait polls a condition
with a deadline (generous: the CI machine is slow and busy); no fixed sleep is an assertion.

The `reconnect` scenario asks the Swift test to restart the server: it creates `restart-request` in the control
directory and waits for `restart-done`.
"""

import argparse
import os
import shutil
import socket
import sys
import time
import traceback

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, TimeoutException, UnexpectedAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

SCALE = max(1.0, float(os.environ.get("SLASHCHAT_TEST_TIME_SCALE", "1") or "1"))
# How long a positive wait may take before the scenario fails (stretched like the Swift tests' TestTime).
WAIT = 60 * SCALE
PALETTE = [31, 32, 33, 34, 35, 36, 91, 92, 93, 94, 95, 96]


class ScenarioFailure(Exception):
    pass


def colour_code(nickname):
    """The terminal client's colour (TerminalStyle.colourCode): FNV-1a 32-bit of the lower-cased UTF-8 name."""
    value = 2166136261
    for byte in nickname.lower().encode("utf-8"):
        value = ((value ^ byte) * 16777619) & 0xFFFFFFFF
    return PALETTE[value % len(PALETTE)]


# ---------------------------------------------------------------------------------------------------------------------
# The browser


def find_binary(names, extra):
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    for path in extra:
        if os.path.exists(path):
            return path
    return None


class Browser:
    """One headless Chromium with the page open, for one person."""

    def __init__(self, args, name, width=1000, height=720):
        self.args = args
        self.name = name
        options = webdriver.ChromeOptions()
        options.add_argument("--headless=new")
        options.add_argument("--no-sandbox")
        options.add_argument("--disable-dev-shm-usage")
        options.add_argument("--disable-gpu")
        options.add_argument(f"--window-size={width},{height}")
        options.add_argument("--lang=en-US")
        # Each browser its own profile, so localStorage is not shared between the two people of a scenario.
        options.add_argument(f"--user-data-dir={os.path.join(args.profiles, name)}")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        binary = find_binary(["chromium", "chromium-browser", "google-chrome"], ["/usr/lib/chromium/chromium"])
        if binary:
            options.binary_location = binary
        driver_path = find_binary(["chromedriver"], ["/usr/lib/chromium/chromedriver"])
        service = Service(executable_path=driver_path) if driver_path else Service()
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_page_load_timeout(WAIT)
        self.logs = []

    @property
    def url(self):
        return f"http://127.0.0.1:{self.args.web_port}/"

    def quit(self):
        try:
            self.driver.quit()
        except Exception:  # noqa: BLE001 - a browser that is already gone is fine here
            pass

    def wait(self, what, condition, timeout=WAIT):
        """Polls `condition(driver)` until it is truthy; fails naming `what` and the end of the log."""
        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.1).until(lambda d: condition(d))
        except TimeoutException:
            raise ScenarioFailure(
                f"{self.name}: timed out after {timeout:.0f}s waiting for {what}; log ends: {self.log_texts()[-8:]}; "
                f"status: {self.status()!r}"
            ) from None

    def js(self, script, *arguments):
        return self.driver.execute_script(script, *arguments)

    def open(self):
        self.driver.get(self.url)
        self.wait("the nickname form", lambda d: self.shown("login-form"))

    def join(self, nickname):
        """Opens the page, types the nickname, and waits for the welcome and the message box."""
        self.open()
        field = self.driver.find_element(By.ID, "nickname")
        field.clear()
        field.send_keys(nickname + Keys.ENTER)
        self.wait_for_welcome(1)

    def wait_for_welcome(self, count):
        self.wait(
            f"welcome number {count}",
            lambda d: self.js("return document.querySelectorAll('#log li.welcome').length") >= count
            and self.shown("composer"),
        )

    def input_value(self):
        return self.js("return document.getElementById('input').value")

    def shown(self, form_id):
        """True when the form `form_id` (login-form, password-form, composer) is the one shown."""
        return self.js("return !document.getElementById(arguments[0]).hidden", form_id)

    def room(self):
        return self.js("return document.getElementById('room').textContent")

    def connection_state(self):
        """The header's status: idle, connecting, connected, reconnecting or offline."""
        return self.js("return document.getElementById('status').dataset.state")

    def stored(self):
        """Everything the page keeps in localStorage and sessionStorage, as `key=value` strings."""
        return self.js(
            "const all = []; for (const s of [localStorage, sessionStorage]) for (let i = 0; i < s.length; i++)"
            " all.push(s.key(i) + '=' + s.getItem(s.key(i))); return all"
        )

    def log_texts(self):
        try:
            return self.js("return [...document.querySelectorAll('#log li')].map((li) => li.textContent)")
        except Exception:  # noqa: BLE001 - used in failure messages; never hide the first failure
            return []

    def status(self):
        try:
            return self.js("return document.getElementById('status').textContent")
        except Exception:  # noqa: BLE001
            return None

    def wait_for_row(self, what, text, kind=None):
        """Waits for a log row (of `kind`, if given) whose text contains `text`; returns its index."""
        selector = "#log li" + (f".{kind}" if kind else "")

        def found(_):
            rows = self.js(f"return [...document.querySelectorAll('{selector}')].map((li) => li.textContent)")
            return any(text in row for row in rows)

        self.wait(what, found)

    def say(self, line):
        box = self.driver.find_element(By.ID, "input")
        box.send_keys(line + Keys.ENTER)

    def screenshot(self, name):
        os.makedirs(self.args.artifacts, exist_ok=True)
        path = os.path.join(self.args.artifacts, f"{name}.png")
        self.driver.save_screenshot(path)
        return path

    def check_console(self):
        """Fails on a page error (a script error, a CSP violation). A missing favicon is not one, nor is a refused
        connection while the page tries to reconnect to a server that is restarting (the browser logs those)."""
        entries = self.driver.get_log("browser")
        self.logs.extend(entries)
        expected = ("favicon.ico", "net::ERR_CONNECTION_REFUSED")
        bad = [
            entry["message"]
            for entry in entries
            if entry.get("level") == "SEVERE" and not any(text in entry.get("message", "") for text in expected)
        ]
        if bad:
            raise ScenarioFailure(f"{self.name}: the page logged errors: {bad}")


# ---------------------------------------------------------------------------------------------------------------------
# A plain TCP user, as `nc` would be


class LineUser:
    def __init__(self, port, nickname):
        self.nickname = nickname
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
        self.buffer = b""
        self.lines = []
        self.expect("Choose a nickname")
        self.send(nickname)
        self.expect(f"Welcome to slashchat, {nickname}!")

    def send(self, line):
        self.sock.sendall(line.encode("utf-8") + b"\n")

    def read_line(self, deadline):
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return None
            if not chunk:
                raise ScenarioFailure(f"{self.nickname} (tcp): the server closed the connection; saw {self.lines[-8:]}")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        text = line.decode("utf-8", "replace").rstrip("\r")
        self.lines.append(text)
        return text

    def expect(self, text, timeout=WAIT):
        """Reads lines until one contains `text`; returns the lines read, that one last."""
        deadline = time.monotonic() + timeout
        seen = []
        while True:
            line = self.read_line(deadline)
            if line is None:
                raise ScenarioFailure(f"{self.nickname} (tcp): no line containing {text!r}; saw {seen[-8:]}")
            seen.append(line)
            if text in line:
                return seen

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


# ---------------------------------------------------------------------------------------------------------------------
# The scenarios


def scenario_chat(args, browsers):
    """Two browser users and a plain TCP user chat in #main, and each sees the others' lines."""
    alice = browsers.open("alice")
    bob = browsers.open("bob")
    alice.join("alice")
    bob.join("bob")
    carol = LineUser(args.tcp_port, "carol")
    try:
        alice.say("hello from alice")
        bob.wait_for_row("alice's line at bob", "hello from alice", "message")
        carol.expect("<alice> hello from alice")
        bob.say("hello from bob")
        alice.wait_for_row("bob's line at alice", "hello from bob", "message")
        carol.expect("<bob> hello from bob")
        carol.send("hello from carol")
        alice.wait_for_row("carol's line at alice", "hello from carol", "message")
        bob.wait_for_row("carol's line at bob", "hello from carol", "message")
        # A mention while the tab is in the background badges the title, and looking at the tab clears it.
        alice.js("document.hasFocus = () => false")
        carol.send("/me waves at alice")
        alice.wait_for_row("carol's action, a mention of alice", "carol waves at alice", "action.mention")
        alice.wait("the title badge", lambda d: d.title == "(1) slashchat")
        alice.js("delete document.hasFocus; window.dispatchEvent(new Event('focus'))")
        alice.wait("the title without its badge", lambda d: d.title == "slashchat")

        # Tab completes commands (as the first word) and nicknames (`carol: ` at the start of a line).
        box = alice.driver.find_element(By.ID, "input")
        box.send_keys("/jo" + Keys.TAB)
        alice.wait("/jo completed", lambda d: alice.input_value() == "/join ")
        box.send_keys(Keys.CONTROL, "a")
        box.send_keys(Keys.BACKSPACE)
        box.send_keys("car" + Keys.TAB)
        alice.wait("car completed", lambda d: alice.input_value() == "carol: ")
        box.send_keys("tab works" + Keys.ENTER)
        carol.expect("<alice> carol: tab works")
        # Up brings the last line back.
        box.send_keys(Keys.ARROW_UP)
        alice.wait("the input history", lambda d: alice.input_value() != "")
        recalled = alice.input_value()
        if recalled != "carol: tab works":
            raise ScenarioFailure(f"alice: Up recalled {recalled!r}")
        box.send_keys(Keys.ARROW_DOWN)

        # The terminal's colours: the same nickname gets the same palette entry in the page.
        classes = alice.js(
            "return [...document.querySelectorAll('#log li.message .nick')].map((n) => [n.textContent, n.className])"
        )
        for name, class_name in classes:
            expected = f"nick-{colour_code(name)}"
            if expected not in class_name.split():
                raise ScenarioFailure(f"alice: {name} has classes {class_name!r}, expected {expected}")
        times = alice.js("return [...document.querySelectorAll('#log li.message time')].map((t) => t.textContent)")
        if not times or not all(len(t) == 5 and t[2] == ":" and t.replace(":", "").isdigit() for t in times):
            raise ScenarioFailure(f"alice: timestamps are not HH:MM: {times}")
        own = alice.js("return [...document.querySelectorAll('#log li.message')].map((li) => li.dataset.from)")
        if "alice" not in own:
            raise ScenarioFailure(f"alice: her own line was not echoed: {alice.log_texts()}")
        room = alice.room()
        if room != "#main":
            raise ScenarioFailure(f"alice: the header shows {room!r}, not #main")
        # A livelier view for the screenshots: an emoji, a private message and a block.
        bob.say(":tada: it works")
        carol.send("/msg alice psst, the page keeps cowsay's columns")
        alice.wait_for_row("carol's private message", "psst", "pm")
        bob.say("/cowsay moo")
        alice.wait_for_row("bob's cow", "bob ran /cowsay", "block")
        alice.wait_for_row("bob's emoji", "🎉 it works", "message")
        alice.screenshot("chat-alice")
        bob.screenshot("chat-bob")
        # A phone-sized window: the layout still fits (no sideways scrolling of the page).
        alice.driver.set_window_size(390, 844)
        alice.wait(
            "the page to fit a phone's width",
            lambda d: alice.js("return document.documentElement.scrollWidth <= window.innerWidth + 1"),
        )
        alice.screenshot("chat-phone")
    finally:
        carol.close()


def scenario_emoji(args, browsers):
    """`:ta` suggests emoji, `:tada:` 🎉 first; Tab, Enter and a click pick, inserting the emoji."""
    alice = browsers.open("alice")
    alice.join("alice")
    box = alice.driver.find_element(By.ID, "input")
    box.send_keys("yay :ta")
    labels = lambda: alice.js(  # noqa: E731
        "const list = document.getElementById('suggestions');"
        "return list.hidden ? [] : [...list.querySelectorAll('li .label')].map((l) => l.textContent)"
    )
    alice.wait("the emoji suggestions for :ta", lambda d: len(labels()) > 0)
    first = labels()[0]
    if first != ":tada:":
        raise ScenarioFailure(f"alice: the first suggestion for :ta is {first!r}, not :tada: ({labels()[:5]})")
    alice.screenshot("emoji-suggestions")
    # Down then Up comes back to the first; Tab picks it.
    box.send_keys(Keys.ARROW_DOWN)
    box.send_keys(Keys.ARROW_UP)
    box.send_keys(Keys.TAB)
    value = alice.input_value()
    if value != "yay 🎉 ":
        raise ScenarioFailure(f"alice: after Tab the box holds {value!r}, not 'yay 🎉 '")
    if labels():
        raise ScenarioFailure("alice: the list stayed open after picking")
    # Enter picks too, and a click.
    box.send_keys(":ta")
    alice.wait("the suggestions again", lambda d: len(labels()) > 0)
    box.send_keys(Keys.ENTER)
    box.send_keys(":ta")
    alice.wait("the suggestions a third time", lambda d: len(labels()) > 0)
    alice.driver.find_element(By.CSS_SELECTOR, "#suggestions li").click()
    value = alice.input_value()
    if value != "yay 🎉 🎉 🎉 ":
        raise ScenarioFailure(f"alice: after Enter and a click the box holds {value!r}")
    box.send_keys("party" + Keys.ENTER)
    alice.wait_for_row("the echo of the emoji line", "yay 🎉 🎉 🎉 party", "message")


def scenario_cowsay(args, browsers):
    """A `/cowsay hello` block keeps its columns: monospace, white-space pre, the lines as a TCP user gets them."""
    alice = browsers.open("alice")
    alice.join("alice")
    bob = LineUser(args.tcp_port, "bob")
    try:
        alice.say("/cowsay hello")
        alice.wait(
            "the cowsay block", lambda d: alice.js("return document.querySelectorAll('#log li.block pre').length")
        )
        alice.say("after the cow")
        # bob's lines between the block's header and alice's next message are the block's lines, verbatim.
        bob.expect("alice ran /cowsay")
        plain = bob.expect("<alice> after the cow")[:-1]
        shown = alice.js(
            "const pre = document.querySelector('#log li.block pre');"
            "const style = getComputedStyle(pre);"
            "return {lines: pre.textContent.split('\\n'), font: style.fontFamily, space: style.whiteSpace,"
            " tag: pre.tagName, overflow: style.overflowX,"
            " command: pre.closest('li').dataset.command}"
        )
        if "monospace" not in shown["font"]:
            raise ScenarioFailure(f"alice: the block's font-family is {shown['font']!r}, not monospace")
        if not shown["space"].startswith("pre"):
            raise ScenarioFailure(f"alice: the block's white-space is {shown['space']!r}")
        if shown["overflow"] != "auto":
            raise ScenarioFailure(f"alice: the block's overflow-x is {shown['overflow']!r}, not auto")
        if shown["lines"] != plain:
            raise ScenarioFailure(f"alice: the block's lines {shown['lines']!r} differ from the plain ones {plain!r}")
        if not any("< hello >" in line for line in shown["lines"]):
            raise ScenarioFailure(f"alice: no '< hello >' line in {shown['lines']!r}")
        # Same columns on screen: every line is as wide as its characters times one character's width.
        widths = alice.js(
            "const pre = document.querySelector('#log li.block pre');"
            "const probe = document.createElement('span'); probe.textContent = 'x';"
            "pre.appendChild(probe); const cell = probe.getBoundingClientRect().width; probe.remove();"
            "const range = document.createRange(); const node = pre.firstChild; const text = node.textContent;"
            "const out = []; let start = 0;"
            "for (const line of text.split('\\n')) {"
            "  range.setStart(node, start); range.setEnd(node, start + line.length);"
            "  out.push([line.length, range.getBoundingClientRect().width / cell]); start += line.length + 1; }"
            "return out"
        )
        for length, cells in widths:
            if abs(length - cells) > 0.6:
                raise ScenarioFailure(f"alice: a {length}-character line of the block is {cells:.2f} cells wide")
        alice.screenshot("cowsay")
        # The train rolls in and stays: the block is there, in its box.
        alice.say("/train")
        alice.wait("the train block", lambda d: alice.js("return document.querySelectorAll('#log pre.train').length"))
        alice.screenshot("train-rolling")
        alice.wait(
            "the train to come to rest in its box",
            lambda d: alice.js(
                "const car = document.querySelector('#log pre.train .train-car');"
                "return car.getAnimations().length === 0"
                " && car.getBoundingClientRect().left <= car.parentElement.getBoundingClientRect().left + 20"
            ),
        )
        alice.screenshot("train")
    finally:
        bob.close()


def scenario_xss(args, browsers):
    """Markup in a message shows as text and runs nothing: no alert, no img element, no script."""
    alice = browsers.open("alice")
    alice.join("alice")
    bob = LineUser(args.tcp_port, "bob")
    payloads = [
        "<img src=x onerror=alert(1)>",
        "<script>window.pwned = 1</script>",
        '"><svg onload=alert(2)>',
    ]
    try:
        for payload in payloads:
            bob.send(payload)
        bob.send("/me <b onmouseover=alert(3)>bold</b>")
        try:
            for payload in payloads:
                alice.wait_for_row(f"the text {payload!r}", payload, "message")
            alice.wait_for_row("the action", "<b onmouseover=alert(3)>bold</b>", "action")
            found = alice.js(
                "return {img: document.querySelectorAll('img').length, svg: document.querySelectorAll('svg').length,"
                " b: document.querySelectorAll('#log b').length, scripts: document.scripts.length,"
                " pwned: window.pwned === undefined ? null : window.pwned}"
            )
        except UnexpectedAlertPresentException as alert:
            raise ScenarioFailure(f"alice: an alert opened: {alert.alert_text!r}") from None
        if found != {"img": 0, "svg": 0, "b": 0, "scripts": 1, "pwned": None}:
            raise ScenarioFailure(f"alice: the markup became elements or ran: {found}")
        try:
            text = alice.driver.switch_to.alert.text
            raise ScenarioFailure(f"alice: an alert is open: {text!r}")
        except NoAlertPresentException:
            pass
        alice.screenshot("markup-as-text")
    finally:
        bob.close()


def upgrade_status(port, origin):
    """The status code of a raw WebSocket upgrade request with `Origin: origin`."""
    request = (
        "GET /ws HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\n"
        "Upgrade: websocket\r\n"
        "Connection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Version: 13\r\n"
        f"Origin: {origin}\r\n"
        "\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as sock:
        sock.sendall(request.encode("ascii"))
        data = b""
        deadline = time.monotonic() + WAIT
        while b"\r\n" not in data and time.monotonic() < deadline:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    status_line = data.split(b"\r\n", 1)[0].decode("latin-1")
    parts = status_line.split(" ")
    if len(parts) < 2 or not parts[1].isdigit():
        raise ScenarioFailure(f"no HTTP status line for Origin {origin}: {data[:200]!r}")
    return int(parts[1]), status_line


def scenario_origin(args, browsers):
    """A cross-origin WebSocket upgrade is refused with 403; the same request from the page's own origin is not."""
    status, line = upgrade_status(args.web_port, "http://evil.example")
    if status != 403:
        raise ScenarioFailure(f"an upgrade with Origin http://evil.example got {line!r}, not 403")
    status, line = upgrade_status(args.web_port, f"http://127.0.0.1:{args.web_port}")
    if status != 101:
        raise ScenarioFailure(f"an upgrade from the page's own origin got {line!r}, not 101")


def request_restart(args, browser):
    """Asks the Swift test to restart the server, and waits until the page shows that it lost the connection."""
    with open(os.path.join(args.control_dir, "restart-request"), "w") as request:
        request.write("restart\n")
    browser.wait(
        "the page to show that it is reconnecting",
        lambda d: browser.connection_state()
        in ("reconnecting", "connecting"),
    )


def wait_for_restart(args):
    """Waits (bounded) for the Swift test to say the new server listens."""
    done = os.path.join(args.control_dir, "restart-done")
    deadline = time.monotonic() + WAIT * 2
    while not os.path.exists(done):
        if time.monotonic() > deadline:
            raise ScenarioFailure("the test never restarted the server")
        time.sleep(0.1)


def scenario_reconnect(args, browsers):
    """After the server restarts, the page reconnects to the same room under the same nickname."""
    alice = browsers.open("alice")
    alice.join("alice")
    alice.say("/join games")
    alice.wait(
        "the header to show #games",
        lambda d: alice.room() == "#games",
    )
    request_restart(args, alice)
    alice.screenshot("reconnecting")
    # A line typed while away is held, and goes out (to #games) once the page is back in.
    alice.say("typed while away")
    alice.wait_for_row("the page saying the line is held", "goes out once you are back in", "notice")
    wait_for_restart(args)
    alice.wait_for_welcome(2)
    alice.wait(
        "the page back in #games",
        lambda d: alice.room() == "#games"
        and alice.connection_state() == "connected",
    )
    bob = LineUser(args.tcp_port, "bob")
    try:
        bob.send("/join games")
        bob.expect("bob joined #games")
        bob.send("/who")
        bob.expect("alice")
        alice.wait_for_row("the held line, sent after the rejoin", "typed while away", "message")
        alice.say("back again")
        bob.expect("<alice> back again")
        bob.send("welcome back alice")
        alice.wait_for_row("bob's line in #games", "welcome back alice", "message")
        alice.screenshot("reconnected")
    finally:
        bob.close()


def scenario_reconnect_registered(args, browsers):
    """A page that logged in with a password asks for it again after a reconnect: it never kept it."""
    erin = browsers.open("erin")
    erin.join("erin")
    erin.say("/register secret123")
    erin.wait_for_row("the registration", "Registered erin", "notice")
    request_restart(args, erin)
    wait_for_restart(args)
    erin.wait(
        "the password form after the reconnect",
        lambda d: erin.shown("password-form"),
    )
    state = erin.js(
        "const f = document.getElementById('password'); return [f.type, f.value, document.activeElement.id]"
    )
    if state != ["password", "", "password"]:
        raise ScenarioFailure(f"erin: the password field after the reconnect is {state!r}")
    erin.screenshot("reconnect-password")
    erin.driver.find_element(By.ID, "password").send_keys("secret123" + Keys.ENTER)
    erin.wait_for_welcome(2)
    erin.wait("the header as erin", lambda d: erin.js("return document.getElementById('me').textContent") == "as erin")
    stored = erin.stored()
    if any("secret123" in value for value in stored):
        raise ScenarioFailure(f"erin: the password was stored: {stored}")


def scenario_password(args, browsers):
    """A registered nickname asks for its password in an <input type=password>; the page never stores it."""
    dora = LineUser(args.tcp_port, "dora")
    try:
        dora.send("/register secret123")
        dora.expect("Registered dora")
        dora.send("/quit")
    finally:
        dora.close()
    browser = browsers.open("dora")
    browser.open()
    field = browser.driver.find_element(By.ID, "nickname")
    field.clear()
    field.send_keys("dora" + Keys.ENTER)
    browser.wait("the password form", lambda d: browser.shown("password-form"))
    kind = browser.js("return document.activeElement.id + ' ' + document.activeElement.type")
    if kind != "password password":
        raise ScenarioFailure(f"dora: the focused field is {kind!r}, not the password input")
    browser.screenshot("password")
    # A wrong one: the server says so and asks again, in the same field, emptied.
    browser.driver.find_element(By.ID, "password").send_keys("not-it" + Keys.ENTER)
    browser.wait_for_row("the refusal", "Wrong password.", "error")
    browser.wait(
        "the password form again",
        lambda d: browser.js(
            "return !document.getElementById('password-form').hidden"
            " && document.getElementById('password').value === ''"
        ),
    )
    browser.driver.find_element(By.ID, "password").send_keys("secret123" + Keys.ENTER)
    browser.wait_for_welcome(1)
    stored = browser.stored()
    if any("secret123" in entry for entry in stored):
        raise ScenarioFailure(f"dora: the password was stored: {stored}")
    if "slashchat.nickname=dora" not in stored:
        raise ScenarioFailure(f"dora: the nickname was not remembered: {stored}")
    value = browser.js("return document.getElementById('password').value")
    if value:
        raise ScenarioFailure("dora: the password field still holds the password")


def scenario_nickname(args, browsers):
    """A taken nickname brings the form back with the server's reason; another one joins; /quit leaves for good."""
    bob = LineUser(args.tcp_port, "bob")
    try:
        page = browsers.open("page")
        page.open()
        field = page.driver.find_element(By.ID, "nickname")
        focused = page.js("return document.activeElement.id")
        if focused != "nickname":
            raise ScenarioFailure(f"page: the nickname field is not focused on load ({focused!r} is)")
        # A name the server would refuse anyway is explained at once, without connecting.
        field.send_keys("two words" + Keys.ENTER)
        page.wait(
            "the hint to explain",
            lambda d: page.js("return document.getElementById('nickname-hint').className") == "hint invalid",
        )
        field.clear()
        field.send_keys("BOB" + Keys.ENTER)
        page.wait_for_row("the server's refusal", "taken", "error")
        page.wait("the nickname form again", lambda d: page.shown("login-form"))
        field.clear()
        field.send_keys("bobby" + Keys.ENTER)
        page.wait_for_welcome(1)
        bob.expect("bobby joined #main")
        me = page.js("return document.getElementById('me').textContent")
        if me != "as bobby":
            raise ScenarioFailure(f"page: the header says {me!r}, not 'as bobby'")
        page.say("/quit see you")
        bob.expect("bobby left #main")
        page.wait(
            "the form after /quit, not a reconnect",
            lambda d: page.shown("login-form")
            and page.connection_state() == "offline",
        )
        page.wait_for_row("the goodbye", "You left the chat", "notice")
        name = page.js("return document.getElementById('nickname').value")
        if name != "bobby":
            raise ScenarioFailure(f"page: the form offers {name!r}, not the last nickname bobby")
    finally:
        bob.close()


SCENARIOS = {
    "chat": scenario_chat,
    "emoji": scenario_emoji,
    "cowsay": scenario_cowsay,
    "xss": scenario_xss,
    "origin": scenario_origin,
    "reconnect": scenario_reconnect,
    "reconnect-registered": scenario_reconnect_registered,
    "password": scenario_password,
    "nickname": scenario_nickname,
}


class Browsers:
    """The browsers a scenario opened, all closed at its end (and their console checked if it passed)."""

    def __init__(self, args):
        self.args = args
        self.opened = []

    def open(self, name, **size):
        browser = Browser(self.args, name, **size)
        self.opened.append(browser)
        return browser

    def check_consoles(self):
        for browser in self.opened:
            browser.check_console()

    def close(self):
        for browser in self.opened:
            browser.quit()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--web-port", type=int, required=True)
    parser.add_argument("--tcp-port", type=int, required=True)
    parser.add_argument("--artifacts", required=True, help="where screenshots go")
    parser.add_argument("--control-dir", default=None, help="restart-request / restart-done files (reconnect)")
    args = parser.parse_args()
    args.control_dir = args.control_dir or args.artifacts
    args.profiles = os.path.join(args.control_dir, f"profiles-{args.scenario}-{os.getpid()}")
    os.makedirs(args.artifacts, exist_ok=True)
    started = time.monotonic()
    browsers = Browsers(args)
    try:
        SCENARIOS[args.scenario](args, browsers)
        browsers.check_consoles()
    except ScenarioFailure as failure:
        for browser in browsers.opened:
            try:
                browser.screenshot(f"failed-{args.scenario}-{browser.name}")
            except Exception:  # noqa: BLE001 - the failure itself is what matters
                pass
        print(f"FAIL {args.scenario}: {failure}", flush=True)
        return 1
    except Exception as error:  # noqa: BLE001 - any other error fails the scenario with its traceback
        traceback.print_exc()
        print(f"FAIL {args.scenario}: {type(error).__name__}: {error}", flush=True)
        return 1
    finally:
        browsers.close()
        shutil.rmtree(args.profiles, ignore_errors=True)
    print(f"PASS {args.scenario} ({time.monotonic() - started:.1f}s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
