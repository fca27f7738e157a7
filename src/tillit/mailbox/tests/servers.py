"""Real mail servers for the tests and benchmarks, on 127.0.0.1 at free ports (never mocks).

- `Dovecot`: Debian's IMAP server from a self-contained config in a temporary folder; messages
  reach it by IMAP APPEND, as a mail client or a delivery agent would put them there.
- `SmtpCapture`: an aiosmtpd server that keeps what Tillit sends, and can refuse a recipient
  (550) or be temporarily unavailable (451), to test retries.
"""

from __future__ import annotations

import getpass
import imaplib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import quote

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[4]
DOVECOT = "/usr/sbin/dovecot"
PASSWORD = "brevlada-test"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ensure_dovecot() -> None:
    if not os.path.exists(DOVECOT):
        subprocess.run(["/bin/bash", str(ROOT / "scripts" / "ensure-mailserver.sh")], check=True)


class Dovecot:
    def __init__(self, users: list[str]) -> None:
        ensure_dovecot()
        # Not under pytest's private temp folder: Dovecot's own users must reach the mail.
        self.folder = Path(tempfile.mkdtemp(prefix="tillit-dovecot-"))
        self.folder.chmod(0o755)
        self.users = users
        self.port = free_port()
        self.run = self.folder / "run"

    def _config(self) -> str:
        if os.getuid() == 0:  # Dovecot refuses to give mail or logins to root
            login_user, internal_user = "dovenull", "dovecot"
            mail_user = pwd.getpwnam("dovecot")
        else:
            login_user = internal_user = getpass.getuser()
            mail_user = pwd.getpwuid(os.getuid())
        mail = self.folder / "mail"
        mail.mkdir(parents=True, exist_ok=True)
        os.chown(mail, mail_user.pw_uid, mail_user.pw_gid)
        (self.folder / "passwd").write_text(
            "".join(f"{user}:{{PLAIN}}{PASSWORD}\n" for user in self.users)
        )
        return f"""
protocols = imap
listen = 127.0.0.1
base_dir = {self.run}
state_dir = {self.folder / "state"}
instance_name = tillit-test-{self.port}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = {self.folder / "dovecot.log"}
default_login_user = {login_user}
default_internal_user = {internal_user}
mail_fsync = never
first_valid_uid = {mail_user.pw_uid}
first_valid_gid = {mail_user.pw_gid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.folder / "passwd"}
}}
userdb {{
  driver = static
  args = uid={mail_user.pw_uid} gid={mail_user.pw_gid} home={mail}/%u
}}
mail_location = maildir:{mail}/%u/Maildir
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""

    def start(self) -> Dovecot:
        for name in ("run", "state"):
            (self.folder / name).mkdir(parents=True, exist_ok=True)
        config = self.folder / "dovecot.conf"
        config.write_text(self._config())
        subprocess.run(
            [DOVECOT, "-c", str(config)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"Dovecot did not start: {self.folder / 'dovecot.log'}")

    def stop(self) -> None:
        pid_file = self.run / "master.pid"
        if pid_file.exists():
            pid = int(pid_file.read_text().split()[0])
            os.kill(pid, signal.SIGTERM)
            for _ in range(100):
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.05)
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, user: str, folder: str = "INBOX") -> str:
        return f"imap://{quote(user, safe='')}:{PASSWORD}@127.0.0.1:{self.port}/{folder}"

    def client(self, user: str) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=30)
        client.login(user, PASSWORD)
        return client

    def deliver(self, user: str, *messages: bytes) -> None:
        """Put messages in the user's INBOX, in order (UIDs follow the order given)."""
        client = self.client(user)
        try:
            for raw in messages:
                status, data = client.append("INBOX", None, None, raw)
                assert status == "OK", data
        finally:
            client.logout()

    def count(self, user: str) -> int:
        client = self.client(user)
        try:
            _status, data = client.select("INBOX", readonly=True)
            return int(data[0] or 0)
        finally:
            client.logout()


class _Handler:
    def __init__(self, capture: SmtpCapture) -> None:
        self.capture = capture

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.capture.unavailable:
            return "451 4.3.0 Try again later"
        if address.lower() in self.capture.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(
            envelope.original_content or envelope.content, policy=policy.default
        )
        assert isinstance(message, EmailMessage)
        self.capture.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class SmtpCapture:
    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[tuple[list[str], EmailMessage]] = []
        self.refuse: set[str] = set()
        self.unavailable = False
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    def start(self) -> SmtpCapture:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def to(self, address: str) -> list[EmailMessage]:
        return [message for rcpt, message in self.received if address in rcpt]

    def settings(self) -> dict[str, object]:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_TIMEOUT": 10,
        }
