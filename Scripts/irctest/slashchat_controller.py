"""irctest's controller for slashchat's IRC door (--irc-port).

irctest (progval/irctest, the public IRC conformance suite) loads it with
`--controller slashchat_controller` when this folder is on PYTHONPATH; see
Scripts/irctest/run. Each test gets a fresh server on a throwaway data
directory, with the limits a conformance run would trip over lifted (flood
control, per-address and connect-rate limits, registrations per hour): the
tests open many connections from one address and send as fast as they can.

The server binary is $SLASHCHAT_SERVER, or .build/release/server of this
checkout.
"""

import os
import shutil
import socket
import tempfile
from pathlib import Path
from typing import Optional, Set, Type

from irctest.basecontrollers import BaseServerController, NotImplementedByController

CHECKOUT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SlashchatController(BaseServerController):
    software_name = "slashchat"
    software_version = "slashchat-1"
    supported_sasl_mechanisms: Set[str] = {"PLAIN"}
    supports_sts = False
    # slashchat nicknames and rooms: 1-32 letters, digits, _ - . (IRC's special characters are not among them).
    nickserv = "NickServ"

    def __init__(self, test_config) -> None:  # type: ignore[no-untyped-def]
        super().__init__(test_config)
        self.data_dir: Optional[str] = None

    def run(
        self,
        hostname: str,
        port: int,
        *,
        password: Optional[str],
        ssl: bool,
        run_services: bool,
        faketime: Optional[str],
        websocket_hostname: Optional[str],
        websocket_port: Optional[int],
    ) -> None:
        if password is not None:
            raise NotImplementedByController("server password (slashchat has accounts, not a server password)")
        if ssl:
            raise NotImplementedByController("TLS in this controller (the door has --irc-tls-port)")
        if websocket_hostname is not None or websocket_port is not None:
            raise NotImplementedByController("Websocket")
        assert self.proc is None
        self.hostname = hostname
        self.port = port
        self.data_dir = tempfile.mkdtemp(prefix="slashchat-irctest-")
        server = os.environ.get("SLASHCHAT_SERVER", str(CHECKOUT / ".build" / "release" / "server"))
        self.proc = self.execute(
            [
                server,
                "127.0.0.1",
                str(free_port()),
                "--irc-port",
                str(port),
                "--data-dir",
                self.data_dir,
                "--flood-rate",
                "0",
                "--connect-rate",
                "0",
                "--max-clients-per-address",
                "0",
                "--registrations-per-hour",
                "1000",
                "--irc-server-name",
                "My.Little.Server",
                "--log-level",
                "error",
            ]
        )
        self.wait_for_port()

    def wait_for_services(self) -> None:
        """Accounts are built in: nothing to wait for once the port is open."""
        self.wait_for_port()

    def registerUser(self, case, username: str, password: Optional[str] = None) -> None:  # type: ignore[no-untyped-def]
        """Registers `username` the way a user does: connect, then slashchat's /register, sent as an IRC verb."""
        assert password
        client = case.addClient(show_io=True)
        case.sendLine(client, "NICK " + username)
        case.sendLine(client, "USER r 0 * :registration")
        while case.getRegistrationMessage(client).command != "001":
            pass
        case.getMessages(client)
        case.sendLine(client, "REGISTER " + password)
        for _ in range(100):
            messages = case.getMessages(client)
            if any("registered" in " ".join(m.params).lower() for m in messages):
                break
        case.sendLine(client, "QUIT")
        case.assertDisconnected(client)

    def kill_proc(self) -> None:
        super().kill_proc()
        if self.data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)
            self.data_dir = None


def get_irctest_controller_class() -> Type[SlashchatController]:
    return SlashchatController
